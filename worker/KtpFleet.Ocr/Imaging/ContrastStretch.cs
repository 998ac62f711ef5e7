using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Linear contrast stretch between two quantiles of a region's histogram: the ink quantile becomes black, the paper
/// quantile white. A region with less contrast than <see cref="MinContrast"/> holds no print worth amplifying (noise,
/// a blank strip) and is left as it is. Used on the whole card and on each value crop, with quantiles of their own.
/// </summary>
internal static class ContrastStretch
{
    public const int MinContrast = 24;

    public static void Apply(byte[] pixels, int stride, PixelRect region, double inkQuantile, double paperQuantile)
    {
        if (region.IsEmpty) return;
        var histogram = new int[256];
        for (var y = region.Y; y < region.Bottom; y++)
        for (var x = region.X; x < region.Right; x++) histogram[pixels[y * stride + x]]++;
        var count = (long)region.Width * region.Height;
        int Quantile(double q)
        {
            long target = (long)(q * count), seen = 0;
            for (var v = 0; v < 256; v++)
                if ((seen += histogram[v]) > target) return v;
            return 255;
        }
        int ink = Quantile(inkQuantile), paper = Quantile(paperQuantile);
        if (paper - ink < MinContrast) return;
        var map = new byte[256];
        for (var v = 0; v < 256; v++) map[v] = (byte)Math.Clamp((v - ink) * 255 / (paper - ink), 0, 255);
        for (var y = region.Y; y < region.Bottom; y++)
        for (var x = region.X; x < region.Right; x++) pixels[y * stride + x] = map[pixels[y * stride + x]];
    }
}
