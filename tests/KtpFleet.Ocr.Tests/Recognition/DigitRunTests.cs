using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

/// <summary>
/// A NIK whose digits are printed lighter than its bold label, half of them washed out by glare: the photo cards
/// the layout rejected as "no NIK line" although a person reads every digit.
/// </summary>
public sealed class DigitRunTests
{
    private const string SansBold = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf";
    private const string Nik = "3509062404400087";

    /// <summary>"NIK :" in black bold, the digits gray, a glare gradient over the right half, blurred.</summary>
    private static RenderedGray RenderWashedOutLine() =>
        RenderedGray.Convert(520, 40, "white",
            "-font", SansBold, "-pointsize", "22", "-fill", "black", "-annotate", "+6+29", "NIK",
            "-font", RenderedGray.Sans, "-pointsize", "22", "-fill", "#202020", "-annotate", "+150+29", ":",
            "-fill", "#6a6a6a", "-annotate", "+190+29", Nik,
            "(", "-size", "520x40", "gradient:", "-rotate", "-90", "-level", "0%,100%", "-evaluate", "multiply", "0.7", ")",
            "-compose", "screen", "-composite", "-blur", "0x1.1");

    [Fact]
    public void Levelling_along_the_line_gives_faint_and_dark_print_one_ink_level()
    {
        // Two strokes on white paper: one black, one light gray under a lighter paper (glare).
        const int width = 80, height = 10;
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            pixels[y * width + x] = x switch
            {
                >= 10 and < 14 => 0,
                >= 60 and < 64 => 170,
                >= 40 => 235,
                _ => 255,
            };
        LineLevelling.Apply(pixels, width, height);
        Assert.Equal(0, pixels[5 * width + 12]);
        Assert.Equal(0, pixels[5 * width + 62]);     // the faint stroke is now as dark as the black one
        Assert.Equal(255, pixels[5 * width + 70]);   // its lighter paper white
        // Paper far from any print has no contrast in reach: white, not amplified noise.
        var blank = new byte[width * height];
        for (var i = 0; i < blank.Length; i++) blank[i] = (byte)(240 + i % 5);
        LineLevelling.Apply(blank, width, height);
        Assert.All(blank, v => Assert.Equal(255, v));
    }

    [Fact]
    public void A_washed_out_nik_is_read_from_its_digit_run()
    {
        var line = RenderWashedOutLine();
        var reader = new NikGlyphReader();
        var whole = line.With(v => reader.Read(v, new PixelRect(0, 0, v.Width, v.Height), levelAlongLine: false));
        // The test is only meaningful if thresholding the whole line as it is loses the NIK.
        Assert.True(whole is null || whole.Digits != Nik, $"the whole line read {whole?.Digits}: not washed out enough");
        var run = line.With(v => reader.ReadDigitRun(v, new PixelRect(184, 0, v.Width - 184, v.Height)));
        Assert.NotNull(run);
        Assert.Equal(Nik, run.Digits);
    }
}
