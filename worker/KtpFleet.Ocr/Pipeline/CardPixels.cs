using System.Runtime.InteropServices;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Pipeline;

/// <summary>
/// The rectified card's gray pixels in managed memory, contrast-stretched so the darkest ink is black and the paper
/// white: after light is flattened, worn or blurred print is often a light gray that no fixed threshold keeps.
/// Pinned while views of it are in use.
/// </summary>
internal sealed class CardPixels : IDisposable
{
    private readonly byte[] _pixels;
    private GCHandle _pin;

    public int Width { get; }
    public int Height { get; }

    private CardPixels(byte[] pixels, int width, int height)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        _pin = GCHandle.Alloc(_pixels, GCHandleType.Pinned);
    }

    public GrayImageView View => new(_pin.AddrOfPinnedObject(), Width, Height, Width);

    public static CardPixels From(ImageHandle gray)
    {
        using var lease = gray.UsePixels();
        if (lease.Channels != 1) throw new ArgumentException("expected a gray image");
        var pixels = new byte[lease.Width * lease.Height];
        for (var y = 0; y < lease.Height; y++) lease.Row(y).CopyTo(pixels.AsSpan(y * lease.Width, lease.Width));
        Stretch(pixels);
        return new CardPixels(pixels, lease.Width, lease.Height);
    }

    /// <summary>The same card turned half a turn.</summary>
    public CardPixels Rotated180()
    {
        var turned = (byte[])_pixels.Clone();
        Array.Reverse(turned);
        return new CardPixels(turned, Width, Height);
    }

    /// <summary>
    /// The same card with its text turned level: <paramref name="degrees"/> is the lean to undo (clockwise, as
    /// <see cref="Layout.TextSkew"/> measures it). Bilinear; what comes in from outside the card is paper.
    /// </summary>
    public CardPixels Levelled(double degrees)
    {
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var (cx, cy) = ((Width - 1) / 2.0, (Height - 1) / 2.0);
        var turned = new byte[_pixels.Length];
        for (var v = 0; v < Height; v++)
        for (var u = 0; u < Width; u++)
        {
            var x = cx + (u - cx) * cos - (v - cy) * sin;
            var y = cy + (u - cx) * sin + (v - cy) * cos;
            turned[v * Width + u] = Sample(x, y);
        }
        return new CardPixels(turned, Width, Height);
    }

    private byte Sample(double x, double y)
    {
        var (x0, y0) = ((int)Math.Floor(x), (int)Math.Floor(y));
        if (x0 < 0 || y0 < 0 || x0 + 1 >= Width || y0 + 1 >= Height) return 255;
        var (fx, fy) = (x - x0, y - y0);
        var i = y0 * Width + x0;
        var top = _pixels[i] + (_pixels[i + 1] - _pixels[i]) * fx;
        var bottom = _pixels[i + Width] + (_pixels[i + Width + 1] - _pixels[i + Width]) * fx;
        return (byte)Math.Round(top + (bottom - top) * fy);
    }

    public ImageHandle ToImage() => ImageHandle.FromPixels(_pixels, Width, Height, 1);

    /// <summary>
    /// Maps the 0.5th percentile (the darkest ink) to 0 and the median (the card is mostly paper) to 255. A card
    /// with hardly any contrast is left as it is rather than amplifying noise into text.
    /// </summary>
    internal static void Stretch(byte[] pixels) =>
        ContrastStretch.Apply(pixels, pixels.Length, new PixelRect(0, 0, pixels.Length, 1), inkQuantile: 0.005, paperQuantile: 0.5);

    public void Dispose()
    {
        if (_pin.IsAllocated) _pin.Free();
    }
}
