using System.Text.Json;
using System.Text.Json.Serialization;
using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Rendering;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Generation;

/// <summary>
/// The ground truth written next to each image as <c>&lt;id&gt;.gt.json</c>. Field values are the printed values,
/// normalised like the result document; boxes are on the canonical 1000×630 card; corners are in the image.
/// </summary>
public sealed record GroundTruth
{
    public const string CurrentSchema = "ktp-corpus-gt/v1";

    public string Schema { get; init; } = CurrentSchema;
    public required string Id { get; init; }
    public required string Image { get; init; }
    public required string Profile { get; init; }
    public required IReadOnlyDictionary<string, string> Fields { get; init; }
    public required IReadOnlyList<string> ExpectedFailedChecks { get; init; }
    public required string Inconsistency { get; init; }
    public required string NikRegionCode { get; init; }
    public required string PrintedRegionCode { get; init; }
    public required bool Foreigner { get; init; }
    /// <summary>Card corners in the image, in order TL, TR, BR, BL of the card as printed (not as seen).</summary>
    public required IReadOnlyList<Point> Corners { get; init; }
    public required int Rotation { get; init; }
    public required IReadOnlyDictionary<string, Box> FieldBoxes { get; init; }
    public required CapturePlan Capture { get; init; }
    public required LayoutStyle Layout { get; init; }
}

/// <summary>The corpus index: how it was made and one line per card.</summary>
public sealed record CorpusManifest
{
    public const string CurrentSchema = "ktp-corpus/v1";

    public string Schema { get; init; } = CurrentSchema;
    public required string Generator { get; init; }
    public required long Seed { get; init; }
    public required int Count { get; init; }
    public required string Profile { get; init; }
    public required double InconsistentFraction { get; init; }
    public required IReadOnlyList<ManifestEntry> Cards { get; init; }
}

public sealed record ManifestEntry(string Id, string Image, string GroundTruth, string Profile, IReadOnlyList<string> ExpectedFailedChecks);

public static class CorpusJson
{
    public static readonly JsonSerializerOptions Options = new(ResultJson.Pretty)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Rates over empty groups are NaN ("not measured"), which plain JSON numbers cannot carry.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"empty {typeof(T).Name}");

    public static CorpusManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, "manifest.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"no manifest.json in {directory} (generate with `ktp corpus generate`)", path);
        return Deserialize<CorpusManifest>(File.ReadAllText(path));
    }

    public static GroundTruth ReadGroundTruth(string directory, ManifestEntry entry) =>
        Deserialize<GroundTruth>(File.ReadAllText(Path.Combine(directory, entry.GroundTruth)));
}
