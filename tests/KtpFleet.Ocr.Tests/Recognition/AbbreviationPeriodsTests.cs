using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class AbbreviationPeriodsTests
{
    private const int Baseline = 30;

    /// <summary>Renders text at a photo card's value size, blurred; ink is what is darker than mid-gray.</summary>
    private static RenderedGray Render(string text, double blur) =>
        RenderedGray.Convert(260, 44, "white", "-font", RenderedGray.Sans, "-pointsize", "18", "-fill", "#202020",
            "-annotate", $"+10+{Baseline}", text, "-blur", $"0x{blur}");

    /// <summary>Columns [first, last] holding ink in rows [top, bottom).</summary>
    private static List<int> InkColumns(RenderedGray image, int top, int bottom) =>
        Enumerable.Range(0, image.Width)
            .Where(x => Enumerable.Range(top, bottom - top).Any(y => image.Pixels[y * image.Width + x] < 170))
            .ToList();

    /// <summary>
    /// The boxes Tesseract gives when it drops the period: "NO" (its letters only, measured on a render of "NO"
    /// alone) and the number (its first column with ink above the baseline band: a letter, not the period).
    /// </summary>
    /// <param name="rightShift">How far the word box's right edge is off (an LSTM's boxes are, on blurred print).</param>
    /// <param name="padding">Rows the word box takes in above and below the letters (tessdata_best boxes the crop).</param>
    private static bool Decide(string text, double blur, int rightShift = 0, int padding = 0)
    {
        var image = Render(text, blur);
        var capTop = Baseline - 13;
        var noRight = InkColumns(Render("NO", blur), capTop, Baseline + 1).Max();
        var noLeft = InkColumns(image, capTop, Baseline + 1).Min();
        var nextX = InkColumns(image, capTop, Baseline - 6).First(x => x > noRight + 1);
        var nextRight = InkColumns(image, capTop, Baseline + 1).Max();
        var word = new PixelRect(noLeft, capTop - padding, noRight - noLeft + 1 + rightShift, Baseline - capTop + 1 + 2 * padding);
        var next = new PixelRect(nextX, capTop, nextRight - nextX + 1, Baseline - capTop + 1);
        return image.With(view =>
        {
            using var stack = CompositeLines.Stack(view, [new PixelRect(0, 0, view.Width, view.Height)], 1);
            // The stack adds a margin around its one line.
            var shift = (stack.Width - view.Width) / 2;
            var box = stack.InkRows(word with { X = word.X + shift, Y = word.Y + shift });
            return AbbreviationPeriods.HasPeriod(stack, box, next with { X = next.X + shift, Y = next.Y + shift });
        });
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void A_printed_period_is_found_in_the_gap_and_a_plain_space_holds_none(double blur)
    {
        Assert.True(Decide("NO. 112", blur), "NO. 112");
        Assert.False(Decide("NO 112", blur), "NO 112");
        Assert.False(Decide("NO 21", blur), "NO 21");
    }

    [Theory]
    [InlineData(-3, 0)]   // the box cuts into the O
    [InlineData(3, 0)]    // the box takes in the period
    [InlineData(0, 7)]    // the box is the crop's height, not the letters'
    [InlineData(-2, 7)]
    public void A_word_box_a_few_pixels_off_still_decides_as_the_letters_do(int rightShift, int padding)
    {
        Assert.True(Decide("NO. 112", 1.0, rightShift, padding), "NO. 112");
        Assert.False(Decide("NO 112", 1.0, rightShift, padding), "NO 112");
        Assert.False(Decide("NO 21", 1.0, rightShift, padding), "NO 21");
    }
}
