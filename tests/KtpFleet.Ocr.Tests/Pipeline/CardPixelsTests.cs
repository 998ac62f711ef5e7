using KtpFleet.Ocr.Pipeline;

namespace KtpFleet.Ocr.Tests.Pipeline;

public sealed class CardPixelsTests
{
    [Fact]
    public void Stretch_maps_the_darkest_ink_to_black_and_the_paper_to_white()
    {
        // Faint print: paper at 200, ink at 150 (worn or blurred text after the light was flattened).
        var pixels = Enumerable.Repeat((byte)200, 10_000).ToArray();
        for (var i = 0; i < 300; i++) pixels[i * 31] = 150;
        CardPixels.Stretch(pixels);
        Assert.Equal(0, pixels[0]);
        Assert.Equal(255, pixels[1]);
    }

    [Fact]
    public void Stretch_leaves_a_flat_page_alone_rather_than_amplifying_noise()
    {
        var rng = new Random(3);
        var pixels = Enumerable.Range(0, 10_000).Select(_ => (byte)rng.Next(200, 210)).ToArray();
        var before = (byte[])pixels.Clone();
        CardPixels.Stretch(pixels);
        Assert.Equal(before, pixels);
    }
}
