using System.Drawing;
using System.Runtime.InteropServices;
using KtpFleet.Ocr.Imaging;

namespace KtpFleet.Ocr.Native;

/// <summary>
/// An 8-bit image (1 channel gray or 3 channels BGR) owned by the native shim. Immutable: every operation returns a
/// new handle the caller owns and must dispose. Freed exactly once, by the SafeHandle machinery.
/// </summary>
public sealed unsafe class ImageHandle : SafeHandle
{
    private ShimNative.ImageInfo? _info;

    public ImageHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public int Width => Info.Width;
    public int Height => Info.Height;
    /// <summary>1 = gray, 3 = BGR.</summary>
    public int Channels => Info.Channels;
    public int Stride => Info.Stride;

    private ShimNative.ImageInfo Info
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            if (_info is { } info) return info;
            ShimStatusCheck.ThrowIfFailed(ShimNative.ImageInfoGet(this, out var fresh), "image info");
            _info = fresh;
            return fresh;
        }
    }

    protected override bool ReleaseHandle()
    {
        ShimNative.ImageFree(handle);
        return true;
    }

    /// <summary>Decodes JPEG/PNG/WebP bytes. Use <see cref="ImageDecoder"/>, which validates the bytes first.</summary>
    internal static ImageHandle Decode(ReadOnlySpan<byte> encoded)
    {
        fixed (byte* data = encoded)
        {
            var status = ShimNative.Decode(data, (nuint)encoded.Length, out var raw);
            return Own(status, raw, "decode");
        }
    }

    /// <summary>Copies raw 8-bit pixels (gray, or BGR when <paramref name="channels"/> is 3).</summary>
    public static ImageHandle FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int channels, int stride = 0)
    {
        if (stride == 0) stride = width * channels;
        if ((long)stride * height > pixels.Length) throw new ArgumentException("pixel buffer is smaller than stride × height");
        fixed (byte* data = pixels)
        {
            return Own(ShimNative.FromPixels(data, width, height, channels, stride, out var raw), raw, "from pixels");
        }
    }

    public ImageHandle ToGray() => Own(ShimNative.Gray(this, out var raw), raw, "gray");

    /// <summary>Rotates clockwise by <paramref name="quarterTurns"/> × 90°, then mirrors left-right if asked.</summary>
    public ImageHandle Orient(int quarterTurns, bool mirror = false) =>
        Own(ShimNative.Orient(this, ((quarterTurns % 4) + 4) % 4, mirror ? 1 : 0, out var raw), raw, "orient");

    public ImageHandle Crop(Rectangle rect) =>
        Own(ShimNative.Crop(this, new ShimNative.Rect(rect.X, rect.Y, rect.Width, rect.Height), out var raw), raw, "crop");

    public ImageHandle Resize(int width, int height) =>
        Own(ShimNative.Resize(this, width, height, out var raw), raw, "resize");

    /// <summary>Maps <paramref name="quad"/> (corner 0 → top-left, clockwise) onto a width × height image.</summary>
    public ImageHandle Warp(Quad quad, int width, int height)
    {
        var xs = stackalloc float[4];
        var ys = stackalloc float[4];
        for (var i = 0; i < 4; i++) (xs[i], ys[i]) = (quad[i].X, quad[i].Y);
        return Own(ShimNative.WarpQuad(this, xs, ys, width, height, out var raw), raw, "warp");
    }

    /// <summary>Finds the card's outline; falls back to the whole frame (scan or tight crop).</summary>
    public CardLocation FindCard()
    {
        ShimStatusCheck.ThrowIfFailed(ShimNative.FindCard(this, out var found), "find card");
        var quad = new Quad(new PointF(found.X[0], found.Y[0]), new PointF(found.X[1], found.Y[1]),
            new PointF(found.X[2], found.Y[2]), new PointF(found.X[3], found.Y[3]));
        return new CardLocation(quad, found.Score, (CardLocationMethod)found.Method);
    }

    /// <summary>Gray image with the card's light-blue print lifted to white and dark text kept dark.</summary>
    public ImageHandle NormalizeBackground() =>
        Own(ShimNative.NormalizeBackground(this, out var raw), raw, "normalise background");

    /// <summary>Binary gray image: 0 = ink, 255 = paper. <paramref name="blockSize"/>/<paramref name="c"/>: adaptive only.</summary>
    public ImageHandle Threshold(ThresholdMethod method, int blockSize = 31, double c = 10) =>
        Own(ShimNative.Threshold(this, method == ThresholdMethod.Otsu ? ShimNative.ThresholdOtsu : ShimNative.ThresholdAdaptive,
            blockSize, c, out var raw), raw, "threshold");

    /// <summary>Contrast-limited adaptive histogram equalisation of the gray image.</summary>
    public ImageHandle Clahe(double clipLimit = 2.0, int tiles = 8) =>
        Own(ShimNative.Clahe(this, clipLimit, tiles, out var raw), raw, "clahe");

    /// <summary>Fraction of ink (Otsu) per cell of a cols × rows grid, row-major.</summary>
    public float[] InkGrid(int cols, int rows)
    {
        if (cols < 1 || rows < 1) throw new ArgumentOutOfRangeException(nameof(cols), "grid must have cells");
        var cells = new float[cols * rows];
        fixed (float* p = cells)
        {
            ShimStatusCheck.ThrowIfFailed(ShimNative.InkGrid(this, cols, rows, p), "ink grid");
        }
        return cells;
    }

    /// <summary>Text line boxes inside <paramref name="region"/> (image coordinates), top to bottom.</summary>
    public IReadOnlyList<Rectangle> FindTextLines(Rectangle region, TextLineOptions? options = null)
    {
        options ??= TextLineOptions.Default;
        var parameters = new ShimNative.LineParams
        {
            CloseWidth = options.CloseWidth, MinHeight = options.MinHeight, MaxHeight = options.MaxHeight,
            MinWidth = options.MinWidth,
        };
        var rect = new ShimNative.Rect(region.X, region.Y, region.Width, region.Height);
        var boxes = new ShimNative.Rect[64];
        while (true)
        {
            int count;
            fixed (ShimNative.Rect* p = boxes)
            {
                ShimStatusCheck.ThrowIfFailed(
                    ShimNative.FindTextLines(this, rect, in parameters, p, boxes.Length, out count), "find text lines");
            }
            if (count <= boxes.Length)
                return boxes.Take(count).Select(b => new Rectangle(b.X, b.Y, b.Width, b.Height)).ToArray();
            boxes = new ShimNative.Rect[count];
        }
    }

    public byte[] EncodePng()
    {
        ShimStatusCheck.ThrowIfFailed(ShimNative.EncodePng(this, out var data, out var length), "encode png");
        try
        {
            return new ReadOnlySpan<byte>((void*)data, checked((int)length)).ToArray();
        }
        finally
        {
            ShimNative.BufferFree(data);
        }
    }

    /// <summary>
    /// Borrows the raw pixels (e.g. for TessBaseAPISetImage). The image stays alive until the lease is disposed;
    /// do not keep the pointer beyond that.
    /// </summary>
    public PixelLease UsePixels() => new(this);

    /// <summary>A borrowed view of an image's pixels, keeping the native image alive until disposed.</summary>
    public sealed class PixelLease : IDisposable
    {
        private ImageHandle? _owner;

        internal PixelLease(ImageHandle owner)
        {
            var added = false;
            owner.DangerousAddRef(ref added);
            _owner = owner;
            var info = owner.Info;
            (Data, Width, Height, Channels, Stride) = (info.Data, info.Width, info.Height, info.Channels, info.Stride);
        }

        public IntPtr Data { get; }
        public int Width { get; }
        public int Height { get; }
        public int Channels { get; }
        public int Stride { get; }

        public ReadOnlySpan<byte> Row(int y)
        {
            ObjectDisposedException.ThrowIf(_owner is null, this);
            ArgumentOutOfRangeException.ThrowIfNegative(y);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
            return new ReadOnlySpan<byte>((byte*)Data + (long)y * Stride, Width * Channels);
        }

        public void Dispose()
        {
            _owner?.DangerousRelease();
            _owner = null;
        }
    }

    private static ImageHandle Own(int status, ImageHandle result, string operation)
    {
        if (status != ShimNative.Ok)
        {
            result.Dispose();
            ShimStatusCheck.ThrowIfFailed(status, operation);
        }
        return result;
    }
}
