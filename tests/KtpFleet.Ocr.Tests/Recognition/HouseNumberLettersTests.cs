using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class HouseNumberLettersTests
{
    private const int Baseline = 30;

    /// <summary>
    /// <paramref name="text"/> rendered at a photo card's value size and blurred, stacked as the recogniser stacks a
    /// line, and decided as Tesseract's word <paramref name="read"/> (boxed on the text's ink) after <paramref name="previous"/>.
    /// </summary>
    private static string Decide(string text, string read, double blur, string? previous = null)
    {
        var image = RenderedGray.Convert(160, 44, "white", "-font", RenderedGray.Sans, "-pointsize", "22", "-fill", "#202020",
            "-annotate", $"+10+{Baseline}", text, "-blur", $"0x{blur}");
        var columns = Enumerable.Range(0, image.Width)
            .Where(x => Enumerable.Range(0, image.Height).Any(y => image.Pixels[y * image.Width + x] < 170))
            .ToList();
        return image.With(view =>
        {
            using var stack = CompositeLines.Stack(view, [new PixelRect(0, 0, view.Width, view.Height)], 1);
            var shift = (stack.Width - view.Width) / 2;
            // A box a little taller than the letters, as Tesseract's are.
            var box = new PixelRect(columns.Min() + shift, Baseline - 19 + shift, columns.Max() - columns.Min() + 1, 24);
            var word = new OcrWord(read, 95, box, 0);
            var before = previous is null ? null : new OcrWord(previous, 95, box with { X = 0, Width = 4 }, 0);
            return HouseNumberLetters.Text(stack, word, before);
        });
    }

    private static string Restored(string text) => text.Replace('B', KtpFleet.Ocr.Parsing.FreeTextParser.RestoredB);

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void A_trailing_b_read_as_8_is_a_b_and_a_printed_8_stays(double blur)
    {
        Assert.Equal(Restored("176B"), Decide("176B", "1768", blur));
        Assert.Equal("1768", Decide("1768", "1768", blur));
        Assert.Equal(Restored("21B"), Decide("21B", "218", blur));
        Assert.Equal("218", Decide("218", "218", blur));
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void A_blocks_leading_b_read_as_8_is_a_b_and_a_house_number_starting_with_8_is_not_looked_at(double blur)
    {
        Assert.Equal(Restored("B17"), Decide("B17", "817", blur, previous: "BLOK"));
        Assert.Equal("817", Decide("817", "817", blur, previous: "BLOK"));
        Assert.Equal("817", Decide("B17", "817", blur, previous: "NO."));
    }

    [Fact]
    public void A_word_box_past_the_stacks_edge_is_decided_without_reading_outside_it()
    {
        var image = RenderedGray.Convert(60, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "22", "-fill", "#202020",
            "-annotate", "+2+24", "1768");
        var text = image.With(view =>
        {
            using var stack = CompositeLines.Stack(view, [new PixelRect(0, 0, view.Width, view.Height)], 1);
            var beyond = new PixelRect(stack.Width - 8, 0, 40, stack.Height);
            var first = HouseNumberLetters.Text(stack, new OcrWord("817", 95, beyond, 0), new OcrWord("BLOK", 95, beyond with { X = 0, Width = 4 }, 0));
            var last = HouseNumberLetters.Text(stack, new OcrWord("1768", 95, beyond, 0), null);
            return first + " " + last;
        });
        Assert.Equal("817 1768", text);
    }
}
