namespace KtpFleet.Ocr.Engine;

/// <summary>
/// Borrowed 8-bit grayscale pixels (row-major, <see cref="Stride"/> bytes per row). The owner keeps the memory alive
/// for the duration of the call that takes this view; Tesseract copies the pixels when it is handed them.
/// </summary>
public readonly record struct GrayImageView(IntPtr Data, int Width, int Height, int Stride)
{
    /// <summary>A copy of the pixels of <paramref name="region"/>, which must lie inside the image, row after row.</summary>
    public unsafe byte[] Copy(PixelRect region)
    {
        var pixels = new byte[region.Width * region.Height];
        for (var y = 0; y < region.Height; y++)
            new ReadOnlySpan<byte>((byte*)Data + (long)(region.Y + y) * Stride + region.X, region.Width)
                .CopyTo(pixels.AsSpan(y * region.Width, region.Width));
        return pixels;
    }

    public void Validate()
    {
        if (Data == IntPtr.Zero) throw new ArgumentException("image has no pixel data");
        if (Width <= 0 || Height <= 0) throw new ArgumentException($"image size {Width}x{Height} is empty");
        if (Stride < Width) throw new ArgumentException($"stride {Stride} is smaller than width {Width}");
    }
}

/// <summary>A rectangle in image pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;

    /// <summary>This rectangle clipped to an image of the given size (possibly empty).</summary>
    public PixelRect ClipTo(int imageWidth, int imageHeight)
    {
        var x = Math.Clamp(X, 0, imageWidth);
        var y = Math.Clamp(Y, 0, imageHeight);
        return new PixelRect(x, y, Math.Clamp(Right, x, imageWidth) - x, Math.Clamp(Bottom, y, imageHeight) - y);
    }

    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>One above the other, sharing columns: a colon's two dots.</summary>
    public bool IsStackedWith(PixelRect other) =>
        Math.Min(Right, other.Right) > Math.Max(X, other.X) && (other.Bottom <= Y || other.Y >= Bottom);
}

/// <summary>Tesseract page segmentation modes we use (values from tesseract/publictypes.h).</summary>
public enum PageSegMode
{
    SingleColumn = 4,
    SingleBlock = 6,
    SingleLine = 7,
    SingleWord = 8,
    SparseText = 11,
    RawLine = 13,
}
