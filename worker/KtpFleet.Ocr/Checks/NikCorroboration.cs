using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Checks;

/// <summary>
/// The NIK digits the card's own print vouches for. Twelve of the sixteen digits encode values printed elsewhere on
/// the card, read by other readers from other print: the district code (province, regency, district names) and the
/// date of birth with the holder's sex. Where those cross-checks pass, a misread digit there would have had to turn
/// the code into another region of the same printed name, or the date into the one the card prints, so the digit's
/// own glyph score no longer decides the NIK's confidence; the four serial digits always rest on their glyphs alone.
/// </summary>
public static class NikCorroboration
{
    /// <summary>Digit ranges and the checks that must all pass for each to be vouched for (a region level only under its parent).</summary>
    private static readonly (int Start, int Length, string[] Checks)[] Spans =
    [
        (0, 2, [CheckNames.NikProvinceMatches]),
        (2, 2, [CheckNames.NikProvinceMatches, CheckNames.NikRegencyMatches]),
        (4, 2, [CheckNames.NikProvinceMatches, CheckNames.NikRegencyMatches, CheckNames.NikDistrictMatches]),
        // The day's tens digit carries the sex (+40 for women): the date alone does not vouch for it.
        (6, 6, [CheckNames.NikBirthDateMatches, CheckNames.NikSexMatches]),
    ];

    /// <summary>Per digit: whether the passed checks vouch for it.</summary>
    public static bool[] Vouched(IReadOnlyList<CheckResult> checks)
    {
        var passed = checks.Where(c => c.Status == CheckStatus.Passed).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var vouched = new bool[Nik.Length];
        foreach (var (start, length, needed) in Spans)
            if (needed.All(passed.Contains))
                Array.Fill(vouched, true, start, length);
        return vouched;
    }

    /// <summary>
    /// The NIK's OCR confidence: its weakest digit among those the checks do not vouch for, where the reader scored
    /// each digit; otherwise (or when the digits do not line up with a 16-digit NIK) the reading's own confidence.
    /// </summary>
    public static double? OcrConfidence(string? digits, double? readingConfidence, IReadOnlyList<double>? digitConfidences, IReadOnlyList<CheckResult> checks)
    {
        if (digitConfidences is not { Count: Nik.Length } || digits is not { Length: Nik.Length }) return readingConfidence;
        var vouched = Vouched(checks);
        return Enumerable.Range(0, Nik.Length).Where(i => !vouched[i]).Min(i => digitConfidences[i]);
    }
}
