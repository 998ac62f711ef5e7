using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class CellGridTests
{
    /// <summary>
    /// Responses of a line holding two digits 10 px apart: at each x the best digit and its fit; the second cell's
    /// digit <paramref name="wide"/> peaks at x = 20 and a 1 at x = 21, as a 1's narrow template fits a blurred 3's right side.
    /// </summary>
    private static MergedResponses TwoCells(char wide, float wideFit, float oneFit)
    {
        var best = Enumerable.Repeat(0.1f, 40).ToArray();
        var digit = Enumerable.Repeat('8', 40).ToArray();
        (best[10], digit[10]) = (0.9f, '2');
        (best[20], digit[20]) = (wideFit, wide);
        (best[21], digit[21]) = (oneFit, '1');
        return new MergedResponses { Best = best, Second = [.. best.Select(b => b - 0.3f)], Digit = digit, TemplateWidth = 8 };
    }

    [Fact]
    public void A_one_that_fits_barely_better_than_the_wider_digit_beside_it_is_that_digit_and_unsure()
    {
        var grid = CellGrid.Best(TwoCells('3', 0.80f, 0.81f), [0, 1], 10, 10)!;
        Assert.Equal("23", grid.Digits);
        Assert.Equal(0, grid.Margins[1]);
    }

    [Fact]
    public void A_one_that_fits_clearly_better_stays_a_one()
    {
        var grid = CellGrid.Best(TwoCells('3', 0.70f, 0.81f), [0, 1], 10, 10)!;
        Assert.Equal("21", grid.Digits);
        Assert.True(grid.Margins[1] > 0);
    }
}
