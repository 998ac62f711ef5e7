namespace KtpFleet.Ocr.Verdicts;

/// <summary>
/// Thresholds that turn field confidences and checks into a verdict. Per tenant in the fleet (rendered by the
/// operator into a ConfigMap); <see cref="Default"/> for the CLI.
/// </summary>
public sealed record VerdictPolicy
{
    /// <summary>A field at or above this confidence is auto-accepted unless overridden per field.</summary>
    public double AutoAcceptConfidence { get; init; } = 0.95;
    /// <summary>Per-field overrides of <see cref="AutoAcceptConfidence"/>, keyed by <see cref="Results.KtpField"/> names.</summary>
    public IReadOnlyDictionary<string, double> FieldConfidence { get; init; } = new Dictionary<string, double>();
    /// <summary>Fields that must be present and confident for an accepted verdict.</summary>
    public IReadOnlyList<string> RequiredFields { get; init; } = Results.KtpField.All;
    /// <summary>When true, any failed cross-check routes the card to review.</summary>
    public bool FailedCheckForcesReview { get; init; } = true;

    public static VerdictPolicy Default { get; } = new();

    public double ThresholdFor(string field) =>
        FieldConfidence.TryGetValue(field, out var t) ? t : AutoAcceptConfidence;
}
