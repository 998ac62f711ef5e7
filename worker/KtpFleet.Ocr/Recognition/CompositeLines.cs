using System.Runtime.InteropServices;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Many field lines stacked into one white image, left-aligned with white gaps, so Tesseract reads them all in one
/// call: every call has a fixed cost (thresholding, line finding, set-up), and a card has a dozen or more short
/// values. Words come back with boxes; their vertical centre says which line they belong to.
/// Each crop is contrast-stretched on its own (a value printed lighter than its neighbours, or lying in a shadow,
/// reaches full contrast), and the stack can be enlarged (cubic) before recognition: the values of a small card in a
/// photo are ~10 px tall, where Tesseract's own binarisation breaks blurred strokes (the second reading,
/// <see cref="FieldRecognizer.RereadScale"/>).
/// </summary>
internal sealed class CompositeLines : IDisposable
{
    private const int Margin = 12;
    private const int Gap = 14;
    /// <summary>Per crop: this fraction of its darkest pixels becomes black...</summary>
    private const double InkQuantile = 0.02;
    /// <summary>...and this quantile (the crop is mostly paper) white.</summary>
    private const double PaperQuantile = 0.6;

    private readonly byte[] _pixels;
    private readonly int[] _tops;
    private readonly int[] _heights;
    private readonly int[] _widths;
    private GCHandle _pin;

    public int Width { get; }
    public int Height { get; }
    public int Count => _tops.Length;
    /// <summary>How much the stack was enlarged: word boxes are in enlarged pixels.</summary>
    public double Scale { get; }

    private CompositeLines(byte[] pixels, int width, int height, int[] tops, int[] heights, int[] widths, double scale)
    {
        _widths = widths;
        _pixels = pixels;
        Width = width;
        Height = height;
        _tops = tops;
        _heights = heights;
        Scale = scale;
        _pin = GCHandle.Alloc(_pixels, GCHandleType.Pinned);
    }

    /// <summary>Row <paramref name="y"/> of the stack as handed to Tesseract (tests).</summary>
    internal ReadOnlySpan<byte> Row(int y) => _pixels.AsSpan(y * Width, Width);

    public GrayImageView View => new(_pin.AddrOfPinnedObject(), Width, Height, Width);

    public static unsafe CompositeLines Stack(GrayImageView card, IReadOnlyList<PixelRect> lines, double scale)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), "the stack is only ever enlarged");
        var width = lines.Max(l => l.Width) + 2 * Margin;
        var tops = new int[lines.Count];
        var heights = new int[lines.Count];
        var widths = lines.Select(l => l.ClipTo(card.Width, card.Height).Width).ToArray();
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
            ContrastStretch.Apply(pixels, width, new PixelRect(Margin, tops[i], r.Width, r.Height), InkQuantile, PaperQuantile);
        }
        if (scale == 1) return new CompositeLines(pixels, width, height, tops, heights, widths, 1);
        int scaledWidth = (int)Math.Round(width * scale), scaledHeight = (int)Math.Round(height * scale);
        using var original = ImageHandle.FromPixels(pixels, width, height, 1);
        using var enlarged = original.Resize(scaledWidth, scaledHeight);
        using var lease = enlarged.UsePixels();
        var scaled = new byte[scaledWidth * scaledHeight];
        for (var row = 0; row < scaledHeight; row++) lease.Row(row).CopyTo(scaled.AsSpan(row * scaledWidth, scaledWidth));
        return new CompositeLines(scaled, scaledWidth, scaledHeight, tops, heights, widths, scale);
    }

    /// <summary>The right edge of stacked line <paramref name="line"/>'s crop, in stack pixels.</summary>
    public int LineRight(int line) => (int)Math.Round((Margin + _widths[line]) * Scale);

    /// <summary>The left edge of every stacked crop, in stack pixels.</summary>
    public int LineLeft => (int)Math.Round(Margin * Scale);

    /// <summary>The height of stacked line <paramref name="line"/>'s crop, in stack pixels.</summary>
    public double LineHeight(int line) => _heights[line] * Scale;

    /// <summary>Darker than this is letter ink in the stack (each crop is stretched: ink to 0, paper to 255).</summary>
    public const byte InkLevel = 128;

    /// <summary>
    /// The word's box cut to the rows its letters' ink fills: gaps and glyph parts are measured in letter heights, and
    /// a model may box a word with the padding of its crop (tessdata_best boxes 16-px print 30 px tall).
    /// </summary>
    public PixelRect InkRows(PixelRect word)
    {
        int x0 = Math.Max(0, word.X), x1 = Math.Min(Width - 1, word.Right - 1);
        int top = -1, bottom = -1;
        for (var y = Math.Max(0, word.Y); y < Math.Min(Height, word.Bottom); y++)
        {
            var row = Row(y);
            var inked = false;
            for (var x = x0; x <= x1 && !inked; x++) inked = row[x] < InkLevel;
            if (!inked) continue;
            if (top < 0) top = y;
            bottom = y;
        }
        return top < 0 ? word : word with { Y = top, Height = bottom - top + 1 };
    }

    /// <summary>The stacked line a word belongs to, by its vertical centre; -1 for a word in a gap.</summary>
    public int LineOf(OcrWord word)
    {
        var centre = (word.Box.Y + word.Box.Height / 2.0) / Scale;
        for (var i = 0; i < _tops.Length; i++)
            if (centre >= _tops[i] - Gap / 2.0 && centre < _tops[i] + _heights[i] + Gap / 2.0) return i;
        return -1;
    }

    public void Dispose()
    {
        if (_pin.IsAllocated) _pin.Free();
    }
}
