using System.Runtime.InteropServices;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Many field lines stacked into one white image, left-aligned with white gaps, so Tesseract reads them all in one
/// call: every call has a fixed cost (thresholding, line finding, set-up), and a card has a dozen or more short
/// values. Words come back with boxes; their vertical centre says which line they belong to.
/// </summary>
internal sealed class CompositeLines : IDisposable
{
    private const int Margin = 12;
    private const int Gap = 14;

    private readonly byte[] _pixels;
    private readonly int[] _tops;
    private readonly int[] _heights;
    private GCHandle _pin;

    public int Width { get; }
    public int Height { get; }
    public int Count => _tops.Length;

    private CompositeLines(byte[] pixels, int width, int height, int[] tops, int[] heights)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
        _tops = tops;
        _heights = heights;
        _pin = GCHandle.Alloc(_pixels, GCHandleType.Pinned);
    }

    public GrayImageView View => new(_pin.AddrOfPinnedObject(), Width, Height, Width);

    public static unsafe CompositeLines Stack(GrayImageView card, IReadOnlyList<PixelRect> lines)
    {
        var width = lines.Max(l => l.Width) + 2 * Margin;
        var tops = new int[lines.Count];
        var heights = new int[lines.Count];
        var y = Margin;
        for (var i = 0; i < lines.Count; i++)
        {
            tops[i] = y;
            heights[i] = lines[i].Height;
            y += lines[i].Height + Gap;
        }
        var height = y - Gap + Margin;
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)255);
        var src = (byte*)card.Data;
        for (var i = 0; i < lines.Count; i++)
        {
            var r = lines[i].ClipTo(card.Width, card.Height);
            for (var row = 0; row < r.Height; row++)
                new ReadOnlySpan<byte>(src + (long)(r.Y + row) * card.Stride + r.X, r.Width)
                    .CopyTo(pixels.AsSpan((tops[i] + row) * width + Margin, r.Width));
        }
        return new CompositeLines(pixels, width, height, tops, heights);
    }

    /// <summary>The stacked line a word belongs to, by its vertical centre; -1 for a word in a gap.</summary>
    public int LineOf(OcrWord word)
    {
        var centre = word.Box.Y + word.Box.Height / 2.0;
        for (var i = 0; i < _tops.Length; i++)
            if (centre >= _tops[i] - Gap / 2.0 && centre < _tops[i] + _heights[i] + Gap / 2.0) return i;
        return -1;
    }

    public void Dispose()
    {
        if (_pin.IsAllocated) _pin.Free();
    }
}
