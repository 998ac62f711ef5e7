using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>
/// Turns a card's fields and checks into a verdict under a <see cref="VerdictPolicy"/>:
/// <list type="bullet">
/// <item><c>rejected</c> (reason <c>not_a_card</c>) when no 16-digit NIK was read and fewer than
/// <see cref="MinimumFieldsOfACard"/> fields have a value: whatever the image is, it is not a readable KTP front;</item>
/// <item><c>needs_review</c> with one reason per problem — <c>missing:&lt;field&gt;</c> (required field without value),
/// <c>low_confidence:&lt;field&gt;</c> (required field under its threshold), <c>check_failed:&lt;check&gt;</c> (when
/// the policy says failed checks force review);</item>
/// <item>else <c>accepted</c>.</item>
/// </list>
/// Reasons carry field and check names only, never values.
/// </summary>
public static class VerdictEngine
{
    public const int MinimumFieldsOfACard = 5;
    public const string NotACard = "not_a_card";
    /// <summary>The layout has a KTP's shape but too little of it could be told apart to read (blur, glare, a crop).</summary>
    public const string UnreadableCard = "unreadable_card";

    public static VerdictResult Decide(IReadOnlyDictionary<string, FieldResult> fields, IReadOnlyList<CheckResult> checks, VerdictPolicy? policy = null)
    {
        policy ??= VerdictPolicy.Default;
        string? Value(string key) => fields.TryGetValue(key, out var f) && !string.IsNullOrWhiteSpace(f.Value) ? f.Value : null;

        var read = KtpField.All.Count(f => Value(f) is not null);
        if (!Nik.TryCreate(Value(KtpField.Nik), out _) && read < MinimumFieldsOfACard)
            return new VerdictResult(Verdict.Rejected, [NotACard]);

        var reasons = new List<string>();
        foreach (var field in policy.RequiredFields)
        {
            if (Value(field) is null) reasons.Add("missing:" + field);
            else if (fields[field].Confidence < policy.ThresholdFor(field)) reasons.Add("low_confidence:" + field);
        }
        if (policy.FailedCheckForcesReview)
            reasons.AddRange(checks.Where(c => c.Status == CheckStatus.Failed).Select(c => "check_failed:" + c.Name));

        return reasons.Count == 0
            ? new VerdictResult(Verdict.Accepted, [])
            : new VerdictResult(Verdict.NeedsReview, reasons);
    }
}
