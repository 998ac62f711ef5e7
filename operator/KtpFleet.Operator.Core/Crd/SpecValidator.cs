using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Crd;

/// <summary>
/// The operator's own check of a spec against the same rules the CRD gives the API server (bounds, patterns,
/// allowed values, list-map key uniqueness, CEL rules through their C# twins). Used when a spec got past an API
/// server that does not enforce everything (older versions, validation off), so the error lands in a condition.
/// </summary>
public static class SpecValidator
{
    public static IReadOnlyList<string> Validate(PipelineSpec spec)
    {
        var errors = new List<string>();
        Walk(spec, "spec", errors);
        return errors;
    }

    private static void Walk(object obj, string path, List<string> errors)
    {
        var type = obj.GetType();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var value = p.GetValue(obj);
            var at = $"{path}.{name}";
            if (value is null)
            {
                if (p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)))
                    errors.Add($"{at}: Required value");
                continue;
            }
            CheckBounds(p, value, at, errors);
            if (p.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                IEnumerable<string> values = value is string s ? [s] : ((IEnumerable)value).Cast<string>();
                foreach (var v in values.Where(v => !allowed.Values.Contains(v)))
                    errors.Add($"{at}: Unsupported value: \"{v}\"");
            }
            if (p.GetCustomAttribute<ListMapAttribute>() is { } lm && value is IEnumerable list)
            {
                var keys = list.Cast<object>()
                    .Select(i => string.Join("/", lm.Keys.Select(k => KeyOf(i, k)))).ToList();
                foreach (var dup in keys.GroupBy(k => k).Where(g => g.Count() > 1))
                    errors.Add($"{at}: Duplicate value: {dup.Key}");
            }
            if (value is IEnumerable items and not string and not IDictionary)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (IsNested(item.GetType())) Walk(item, $"{at}[{i}]", errors);
                    i++;
                }
            }
            else if (IsNested(value.GetType())) Walk(value, at, errors);
        }
        foreach (var rule in CelRulesOf(obj))
            errors.Add($"{path}: Invalid value: {rule}");
    }

    private static IEnumerable<string> CelRulesOf(object obj)
    {
        var type = obj.GetType();
        var rulesProp = type.GetProperty("Rules", BindingFlags.Public | BindingFlags.Static);
        if (rulesProp is null || CrdGenerator.CelRulesOf(type).Count == 0) yield break;
        foreach (var rule in (IEnumerable)rulesProp.GetValue(null)!)
        {
            var holds = (Delegate)rule.GetType().GetProperty("Holds")!.GetValue(rule)!;
            if (!(bool)holds.DynamicInvoke(obj)!) yield return ((ICelRule)rule).Message;
        }
    }

    private static string KeyOf(object item, string key) =>
        item.GetType().GetProperties().First(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == key)
            .GetValue(item)?.ToString() ?? "";

    private static bool IsNested(Type t) => t.IsClass && t != typeof(string) && t.Namespace == typeof(PipelineSpec).Namespace;

    private static void CheckBounds(PropertyInfo p, object value, string at, List<string> errors)
    {
        if (p.GetCustomAttribute<BoundsAttribute>() is not { } b) return;
        if (value is int or long or double)
        {
            var d = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
            if (!double.IsNaN(b.Minimum) && d < b.Minimum) errors.Add($"{at}: should be greater than or equal to {b.Minimum}");
            if (!double.IsNaN(b.Maximum) && d > b.Maximum) errors.Add($"{at}: should be less than or equal to {b.Maximum}");
        }
        if (value is string s)
        {
            if (b.MinLength >= 0 && s.Length < b.MinLength) errors.Add($"{at}: should be at least {b.MinLength} chars long");
            if (b.MaxLength >= 0 && s.Length > b.MaxLength) errors.Add($"{at}: may not be longer than {b.MaxLength}");
            if (b.Pattern is not null && !Regex.IsMatch(s, b.Pattern)) errors.Add($"{at}: should match '{b.Pattern}'");
        }
        if (value is ICollection c)
        {
            if (b.MinItems >= 0 && c.Count < b.MinItems) errors.Add($"{at}: should have at least {b.MinItems} items");
            if (b.MaxItems >= 0 && c.Count > b.MaxItems) errors.Add($"{at}: should have at most {b.MaxItems} items");
            if (b.MaxProperties >= 0 && value is IDictionary && c.Count > b.MaxProperties) errors.Add($"{at}: should have at most {b.MaxProperties} properties");
        }
    }
}
