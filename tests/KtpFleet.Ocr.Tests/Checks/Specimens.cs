using System.Text.Json;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Tests.Checks;

/// <summary>
/// Ground truth of the two specimen cards in <c>shared/data/samples/specimens</c> (beside the clone; never copied
/// into the repo). Both are deliberately inconsistent: their NIKs disagree with what they print.
/// </summary>
internal static class Specimens
{
    public const string Setiawan = "setiawan";
    public const string Abdurrahman = "abdurrahman-hadin";

    public static string Directory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "samples", "specimens");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/data/samples/specimens not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Printed fields of a specimen keyed by <see cref="KtpField"/>, with the issue place/date split from <c>issued</c>.</summary>
    public static Dictionary<string, string?> GroundTruth(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".gt.json")));
        var fields = doc.RootElement.GetProperty("fields").EnumerateObject()
            .ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
        var issued = doc.RootElement.GetProperty("issued").GetString()!;
        var space = issued.LastIndexOf(' ');
        fields[KtpField.TempatTerbit] = issued[..space];
        fields[KtpField.TanggalTerbit] = issued[(space + 1)..];
        return fields;
    }
}
