using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class CompositeLinesTests
{
    /// <summary>The enlargement these readings were written against (the stack's scale is the caller's choice).</summary>
    private const double Enlarged = 1.5;

    [Fact]
    public void Stacked_crops_read_in_one_call_return_each_word_to_its_line()
    {
        const string sans = RenderedGray.Sans;
        var card = RenderedGray.Convert(800, 300, "white", "-font", sans, "-pointsize", "26", "-fill", "black",
            "-annotate", "+30+50", "SUNGAI AMBAWANG", "-annotate", "+420+150", "001/004", "-annotate", "+60+250", "KAWIN");
        var crops = new[] { new PixelRect(20, 20, 300, 45), new PixelRect(410, 120, 150, 45), new PixelRect(50, 220, 200, 45) };
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var texts = card.With(v =>
        {
            using var stack = CompositeLines.Stack(v, crops, Enlarged);
            Assert.Equal(3, stack.Count);
            var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleBlock });
            return page.Words.GroupBy(stack.LineOf).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => string.Join(' ', g.OrderBy(w => w.Box.X).Select(w => w.Text)));
        });
        Assert.Equal("SUNGAI AMBAWANG", texts[0]);
        Assert.Equal("001/004", texts[1]);
        Assert.Equal("KAWIN", texts[2]);
    }

    [Fact]
    public void A_faint_value_is_read_after_its_crop_is_stretched_and_the_stack_enlarged()
    {
        const string sans = RenderedGray.Sans;
        // Small, light gray, blurred print on a gray "shadowed" paper beside a crisp black value.
        var card = RenderedGray.Convert(700, 120, "#c8c8c8", "-font", sans, "-pointsize", "15", "-fill", "#8c8c8c",
            "-annotate", "+20+30", "BURUH NELAYAN/PERIKANAN", "-fill", "black", "-annotate", "+20+90", "SEUMUR HIDUP", "-blur", "0x0.8");
        var crops = new[] { new PixelRect(14, 10, 260, 30), new PixelRect(14, 70, 180, 30) };
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var texts = card.With(v =>
        {
            using var stack = CompositeLines.Stack(v, crops, Enlarged);
            Assert.Equal(Enlarged, stack.Scale);
            var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleBlock });
            return page.Words.GroupBy(stack.LineOf).Where(g => g.Key >= 0).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => string.Join(' ', g.OrderBy(w => w.Box.X).Select(w => w.Text)));
        });
        Assert.Equal("BURUH NELAYAN/PERIKANAN", texts[0]);
        Assert.Equal("SEUMUR HIDUP", texts[1]);
    }

    [Fact]
    public void Each_crop_is_stretched_on_its_own_from_its_darkest_ink_to_its_paper()
    {
        // Crop 0: paper 200 with a faint stroke at 150; crop 1: paper 255 with black ink; crop 2: blank paper 250..253.
        const int width = 60, height = 60;
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            pixels[y * width + x] = y switch
            {
                < 20 => (byte)(x is >= 10 and < 14 ? 150 : 200),
                < 40 => (byte)(x is >= 10 and < 14 ? 0 : 255),
                _ => (byte)(250 + (x + y) % 4),
            };
        }
        var crops = new[] { new PixelRect(0, 0, width, 20), new PixelRect(0, 20, width, 20), new PixelRect(0, 40, width, 20) };
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var stack = CompositeLines.Stack(new GrayImageView(pin.AddrOfPinnedObject(), width, height, width), crops, scale: 1);
            Assert.Equal(1, stack.Scale);
            // Stacked rows: margin 12, then each crop's 20 rows with 14-row gaps; crops start at x = 12.
            var faint = stack.Row(12 + 5).ToArray();
            Assert.Equal(0, faint[12 + 11]);   // the faint stroke becomes black
            Assert.Equal(255, faint[12 + 30]); // its gray paper white
            var crisp = stack.Row(12 + 20 + 14 + 5).ToArray();
            Assert.Equal(0, crisp[12 + 11]);
            Assert.Equal(255, crisp[12 + 30]);
            // A blank strip has no contrast worth amplifying: left as it was, not turned into speckle.
            var blankRow = 12 + 2 * (20 + 14) + 5;
            var blank = stack.Row(blankRow).ToArray();
            for (var x = 0; x < width; x++) Assert.Equal(250 + (x + 45) % 4, blank[12 + x]);
        }
        finally
        {
            pin.Free();
        }
    }
}
