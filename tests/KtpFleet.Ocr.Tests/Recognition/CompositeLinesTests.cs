using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class CompositeLinesTests
{
    [Fact]
    public void Stacked_crops_read_in_one_call_return_each_word_to_its_line()
    {
        const string sans = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
        var card = RenderedGray.Convert(800, 300, "white", "-font", sans, "-pointsize", "26", "-fill", "black",
            "-annotate", "+30+50", "SUNGAI AMBAWANG", "-annotate", "+420+150", "001/004", "-annotate", "+60+250", "KAWIN");
        var crops = new[] { new PixelRect(20, 20, 300, 45), new PixelRect(410, 120, 150, 45), new PixelRect(50, 220, 200, 45) };
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var texts = card.With(v =>
        {
            using var stack = CompositeLines.Stack(v, crops);
            Assert.Equal(3, stack.Count);
            var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleBlock });
            return page.Words.GroupBy(stack.LineOf).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => string.Join(' ', g.OrderBy(w => w.Box.X).Select(w => w.Text)));
        });
        Assert.Equal("SUNGAI AMBAWANG", texts[0]);
        Assert.Equal("001/004", texts[1]);
        Assert.Equal("KAWIN", texts[2]);
    }
}
