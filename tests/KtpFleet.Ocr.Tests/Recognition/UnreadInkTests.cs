using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

/// <summary>A value whose crop holds print Tesseract did not read (glare washed out part of it) is not all there.</summary>
public sealed class UnreadInkTests
{
    [Theory]
    [InlineData("#151515", false)]
    [InlineData("#f1f1f1", true)] // the middle word all but washed out: read around, not through
    public void A_line_read_only_around_a_washed_out_stretch_leaves_ink_unread(string middleInk, bool unread)
    {
        const string sans = RenderedGray.Sans;
        var card = RenderedGray.Convert(700, 60, "white", "-font", sans, "-pointsize", "24",
            "-fill", "#151515", "-annotate", "+20+40", "DUSUN", "-fill", middleInk, "-annotate", "+112+40", "BELIDAK SUKAMAJU",
            "-fill", "#151515", "-annotate", "+340+40", "RAYA BARU");
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var leaves = card.With(v =>
        {
            using var stack = CompositeLines.Stack(v, [new PixelRect(14, 14, 470, 34)], 1);
            var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleBlock });
            return FieldRecognizer.LeavesInkUnread(stack, 0, page.Words.OrderBy(w => w.Box.X).ToList());
        });
        Assert.Equal(unread, leaves);
    }

    [Fact]
    public void Word_spaces_a_leading_colon_and_trailing_specks_are_no_unread_print_but_a_long_gap_and_an_empty_line_are()
    {
        var card = RenderedGray.Convert(400, 40, "white");
        card.With(v =>
        {
            using var stack = CompositeLines.Stack(v, [new PixelRect(0, 0, 300, 20)], 1);
            // Crop from 12 to 312 in the stack, 20 px tall: a gap over 50 px is unread print.
            OcrWord Word(int x, int right) => new("W", 90, new PixelRect(x, 12, right - x, 20), 0);
            Assert.False(FieldRecognizer.LeavesInkUnread(stack, 0, [Word(30, 120), Word(130, 300)]));
            Assert.True(FieldRecognizer.LeavesInkUnread(stack, 0, [Word(30, 80), Word(200, 300)]));
            Assert.False(FieldRecognizer.LeavesInkUnread(stack, 0, [Word(30, 120)]));
            Assert.True(FieldRecognizer.LeavesInkUnread(stack, 0, [Word(120, 300)]));
            Assert.True(FieldRecognizer.LeavesInkUnread(stack, 0, []));
            return 0;
        });
    }
}
