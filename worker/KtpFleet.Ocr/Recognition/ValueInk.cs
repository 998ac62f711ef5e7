namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// The letter-sized ink of one value line, left to right, and the line's cap height: what the shape readers
/// (<see cref="PhraseReader"/>, <see cref="FormattedDigitReader"/>) measure a value by. Colon dots, commas, hyphens
/// and specks are not letters; a mark twice the located row's height is not part of the line.
/// </summary>
internal sealed record ValueInk(List<InkComponent> Letters, double CapHeight, double CentreY)
{
    public static ValueInk? Find(InkMask core, int lineHeight) => Find(ConnectedComponents.Find(core), lineHeight);

    /// <param name="components">the connected components of the line's dark core, when the caller has them already</param>
    public static ValueInk? Find(IReadOnlyList<InkComponent> components, int lineHeight)
    {
        var blobs = components.Where(c => c.Area >= 3 && c.Height <= lineHeight * 1.6).ToList();
        if (blobs.Count == 0) return null;
        var tallest = blobs.Max(c => c.Height);
        var cap = Median(blobs.Where(c => c.Height >= tallest * 0.6).Select(c => (double)c.Height));
        var centre = Median(blobs.Where(c => c.Height >= cap * 0.8).Select(c => c.CenterY));
        var letters = blobs
            .Where(c => c.Height >= cap * 0.6 && Math.Abs(c.CenterY - centre) <= cap * 0.5)
            .OrderBy(c => c.X)
            .ToList();
        return letters.Count == 0 ? null : new ValueInk(letters, cap, centre);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
