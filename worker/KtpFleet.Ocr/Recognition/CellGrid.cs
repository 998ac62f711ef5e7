namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Digits read at cells laid out along a line: each cell at a fixed offset (in digit advances) from a start, at one
/// pitch. <see cref="Best"/> finds the start and pitch whose cells' best digit responses sum highest; each cell may
/// sit a pixel off the grid (rounding, a trace of perspective left by the rectification).
/// </summary>
/// <param name="Start">left edge of the first cell's template window, in the responses' x</param>
/// <param name="End">right edge of the last cell's window</param>
internal sealed record CellGrid(string Digits, double[] Scores, double[] Margins, double Total, int Start, int End)
{
    /// <summary>The band the responses were computed at, set by the caller that chose it.</summary>
    public int Top { get; init; }
    public int Height { get; init; }

    /// <summary>How much better a 1 must fit a cell than a wider digit beside it to be read: a near tie is the wider digit's.</summary>
    internal const double NarrowTie = 0.03;

    /// <returns>null when no grid fits, or a cell lies over blank paper</returns>
    /// <param name="offsets">each cell's offset from the first in digit advances, ascending</param>
    /// <param name="minPitch">smallest digit advance tried, in pixels (steps of a quarter pixel up to <paramref name="maxPitch"/>)</param>
    public static CellGrid? Best(MergedResponses r, double[] offsets, double minPitch, double maxPitch)
    {
        (double Total, double Pitch, int Start) best = (double.MinValue, 0, 0);
        var last = offsets[^1];
        for (var pitch = minPitch; pitch <= maxPitch; pitch += 0.25)
        {
            var span = (int)Math.Round(last * pitch);
            for (var start = 1; start + span + 1 < r.Positions; start++)
            {
                var total = 0.0;
                foreach (var o in offsets)
                {
                    var x = start + (int)Math.Round(o * pitch);
                    total += Math.Max(r.Best[x], Math.Max(r.Best[x - 1], r.Best[x + 1]));
                }
                if (total > best.Total) best = (total, pitch, start);
            }
        }
        if (best.Pitch == 0) return null;
        var digits = new char[offsets.Length];
        var scores = new double[offsets.Length];
        var margins = new double[offsets.Length];
        for (var i = 0; i < offsets.Length; i++)
        {
            var at = best.Start + (int)Math.Round(offsets[i] * best.Pitch);
            int[] window = [at - 1, at, at + 1];
            var x = window.MaxBy(p => r.Best[p]);
            digits[i] = r.Digit[x];
            scores[i] = r.Best[x];
            margins[i] = r.Best[x] - r.Second[x];
            // A 1's narrow template also fits the right side of a wider digit a pixel on (a blurred 3's edge): where a
            // wider digit fits the cell about as well, the cell holds that digit, and its lead is none.
            if (digits[i] != '1') continue;
            var wider = window.Where(p => r.Digit[p] is not ('1' or MergedResponses.NoDigit)).ToList();
            if (wider.Count > 0 && wider.MaxBy(p => r.Best[p]) is var w && r.Best[w] >= r.Best[x] - NarrowTie)
                (digits[i], scores[i], margins[i]) = (r.Digit[w], r.Best[w], 0);
        }
        // A cell over blank paper (no ink variation in any window there) has no digit at all: no reading.
        if (Array.IndexOf(digits, MergedResponses.NoDigit) >= 0) return null;
        var end = best.Start + (int)Math.Round(last * best.Pitch) + r.TemplateWidth;
        return new CellGrid(new string(digits), scores, margins, best.Total, best.Start, end);
    }
}
