using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>
/// The calibrated 0..1 confidence of one field: "probability this value is right", from Tesseract's mean word
/// confidence (0..100, null when unknown), whether the value parsed/validated, and how far it was snapped.
/// </summary>
public static class FieldConfidence
{
    public static double Score(ParsedField field, double? meanWordConfidence, ConfidenceCalibration? calibration = null, string? fieldName = null) =>
        Score(ConfidenceClasses.Of(field, fieldName), meanWordConfidence, calibration);

    /// <param name="cls">the field's class (<see cref="ConfidenceClasses.Of"/>); null for a missing field</param>
    public static double Score(ConfidenceClass? cls, double? meanWordConfidence, ConfidenceCalibration? calibration = null) =>
        cls is { } c ? (calibration ?? ConfidenceCalibration.Default).Probability(c, meanWordConfidence) : 0;
}
