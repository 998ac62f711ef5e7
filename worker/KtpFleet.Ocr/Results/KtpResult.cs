using System.Text.Json.Serialization;

namespace KtpFleet.Ocr.Results;

/// <summary>
/// The versioned result document for one card. Field values are normalised (see docs/result-document.md);
/// <see cref="FieldResult.Raw"/> keeps what OCR read. Serialise with <see cref="ResultJson.Options"/>.
/// </summary>
public sealed record KtpResult
{
    public const string CurrentSchema = "ktp-result/v1";

    public string Schema { get; init; } = CurrentSchema;
    public required IReadOnlyDictionary<string, FieldResult> Fields { get; init; }
    public required IReadOnlyList<CheckResult> Checks { get; init; }
    public required VerdictResult Verdict { get; init; }
    public required EngineInfo Engine { get; init; }
    /// <summary>Milliseconds per pipeline stage (decode, locate_card, rectify, layout, recognise, parse, checks, verdict).</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }
}

/// <summary>One field: normalised value (null when absent or unreadable), calibrated confidence 0..1, raw OCR text, box on the canonical card.</summary>
public sealed record FieldResult(string? Value, double Confidence, string? Raw, Box? Box);

/// <summary>Axis-aligned box in pixels of the canonical (rectified) card.</summary>
public sealed record Box(int X, int Y, int Width, int Height);

[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus { Passed, Failed, Skipped }

/// <summary>A cross-check, e.g. <c>nik_birth_date_matches</c>; Detail says why it failed or was skipped (never unmasked PII).</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string? Detail = null);

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict { Accepted, NeedsReview, Rejected }

public sealed record VerdictResult(Verdict Decision, IReadOnlyList<string> Reasons);

public sealed record EngineInfo(string Tesseract, string TessdataVersion, string Pipeline, string? SecondOpinionTessdataVersion = null,
    string? ThirdOpinionTessdataVersion = null, string? NikModelTessdataVersion = null);
