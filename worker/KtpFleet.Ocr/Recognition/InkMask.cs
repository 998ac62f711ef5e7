using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// A binary ink mask of one region of a gray image (true = dark ink), thresholded by Otsu's method, with each
/// pixel's darkness between the paper and ink levels for shape matching.
/// </summary>
internal sealed class InkMask
{
    private readonly byte[] _gray;

    public bool[] Ink { get; }
    /// <summary>How dark each pixel is between paper (0) and ink (1): contrast-stretched between the Otsu class means.</summary>
    public float[] Darkness { get; }
    public int Width { get; }
    public int Height { get; }
    public int Threshold { get; }
    /// <summary>Mean gray level of the ink class.</summary>
    public double InkLevel { get; }
    /// <summary>Where the mask's (0,0) lies in the source image.</summary>
    public int OriginX { get; }
    public int OriginY { get; }

    private InkMask(byte[] gray, bool[] ink, float[] darkness, int width, int height, int threshold, double inkLevel, int originX, int originY)
    {
        _gray = gray;
        Ink = ink;
        Darkness = darkness;
        Width = width;
        Height = height;
        Threshold = threshold;
        InkLevel = inkLevel;
        OriginX = originX;
        OriginY = originY;
    }

    public bool this[int x, int y] => Ink[y * Width + x];

    /// <param name="levelAlongLine">
    /// Re-level the region column by column first (<see cref="LineLevelling"/>): for a line whose print darkness
    /// changes along its length (glare, a shadow, a label darker than its value).
    /// </param>
    public static InkMask FromRegion(GrayImageView image, PixelRect region, bool levelAlongLine = false)
    {
        var r = region.ClipTo(image.Width, image.Height);
        if (r.IsEmpty) return new InkMask([], [], [], 0, 0, 0, 0, r.X, r.Y);
        var pixels = image.Copy(r);
        if (levelAlongLine) LineLevelling.Apply(pixels, r.Width, r.Height);
        var histogram = new int[256];
        foreach (var v in pixels) histogram[v]++;
        var threshold = Otsu(histogram, pixels.Length);
        var ink = new bool[pixels.Length];
        long inkSum = 0, paperSum = 0;
        var inkCount = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            ink[i] = pixels[i] <= threshold;
            if (ink[i]) { inkSum += pixels[i]; inkCount++; }
            else paperSum += pixels[i];
        }
        var inkLevel = inkCount == 0 ? 0.0 : (double)inkSum / inkCount;
        var paperLevel = inkCount == pixels.Length ? 255.0 : (double)paperSum / (pixels.Length - inkCount);
        var range = Math.Max(paperLevel - inkLevel, 1);
        var darkness = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++) darkness[i] = (float)Math.Clamp((paperLevel - pixels[i]) / range, 0, 1);
        return new InkMask(pixels, ink, darkness, r.Width, r.Height, threshold, inkLevel, r.X, r.Y);
    }

    /// <summary>
    /// The same region keeping only the dark core of the ink: background lines and texture that Otsu lets through
    /// are lighter than printed text, and cutting them off stops them from fusing neighbouring glyphs.
    /// </summary>
    public InkMask Core(double fraction = 0.6)
    {
        var cut = InkLevel + fraction * (Threshold - InkLevel);
        var core = new bool[Ink.Length];
        for (var i = 0; i < core.Length; i++) core[i] = _gray[i] <= cut;
        return new InkMask(_gray, core, Darkness, Width, Height, (int)cut, InkLevel, OriginX, OriginY);
    }

    /// <summary>The threshold that maximises the between-class variance of the histogram.</summary>
    internal static int Otsu(int[] histogram, int total)
    {
        double sum = 0;
        for (var i = 0; i < 256; i++) sum += i * (double)histogram[i];
        double sumBackground = 0, best = -1;
        int weightBackground = 0, threshold = 127;
        for (var t = 0; t < 256; t++)
        {
            weightBackground += histogram[t];
            if (weightBackground == 0) continue;
            var weightForeground = total - weightBackground;
            if (weightForeground == 0) break;
            sumBackground += t * (double)histogram[t];
            var meanBackground = sumBackground / weightBackground;
            var meanForeground = (sum - sumBackground) / weightForeground;
            var between = (double)weightBackground * weightForeground * (meanBackground - meanForeground) * (meanBackground - meanForeground);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }
        return threshold;
    }
}

/// <summary>A connected blob of ink with its bounding box (in mask coordinates) and pixel count.</summary>
internal sealed record InkComponent(int X, int Y, int Width, int Height, int Area)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public double CenterY => Y + Height / 2.0;
    public PixelRect Box => new(X, Y, Width, Height);

    public InkComponent Union(InkComponent other)
    {
        var x = Math.Min(X, other.X);
        var y = Math.Min(Y, other.Y);
        return new InkComponent(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y, Area + other.Area);
    }
}

internal static class ConnectedComponents
{
    /// <summary>
    /// 8-connected components of the mask's ink, left to right. Labels runs of ink per row and unions runs that
    /// touch a run of the row above (union-find), so the cost follows the amount of text, not of pixels.
    /// </summary>
    public static List<InkComponent> Find(InkMask mask)
    {
        var runs = new List<(int Y, int X0, int X1)>();
        var parent = new List<int>();
        var previousStart = 0;
        var previousEnd = 0;
        for (var y = 0; y < mask.Height; y++)
        {
            var rowStart = runs.Count;
            var row = y * mask.Width;
            var x = 0;
            while (x < mask.Width)
            {
                if (!mask.Ink[row + x]) { x++; continue; }
                var x0 = x;
                while (x < mask.Width && mask.Ink[row + x]) x++;
                var id = runs.Count;
                runs.Add((y, x0, x - 1));
                parent.Add(id);
                // 8-connectivity: a run above touches if it reaches one column past either end.
                for (var j = previousStart; j < previousEnd; j++)
                {
                    var above = runs[j];
                    if (above.X1 < x0 - 1) continue;
                    if (above.X0 > x) break;
                    Union(parent, id, j);
                }
            }
            previousStart = rowStart;
            previousEnd = runs.Count;
        }

        var boxes = new Dictionary<int, (int MinX, int MinY, int MaxX, int MaxY, int Area)>();
        for (var i = 0; i < runs.Count; i++)
        {
            var root = Root(parent, i);
            var (y, x0, x1) = runs[i];
            boxes[root] = boxes.TryGetValue(root, out var b)
                ? (Math.Min(b.MinX, x0), Math.Min(b.MinY, y), Math.Max(b.MaxX, x1), Math.Max(b.MaxY, y), b.Area + x1 - x0 + 1)
                : (x0, y, x1, y, x1 - x0 + 1);
        }
        var components = boxes.Values
            .Select(b => new InkComponent(b.MinX, b.MinY, b.MaxX - b.MinX + 1, b.MaxY - b.MinY + 1, b.Area))
            .ToList();
        components.Sort((a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        return components;
    }

    private static int Root(List<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void Union(List<int> parent, int a, int b)
    {
        a = Root(parent, a);
        b = Root(parent, b);
        if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
    }
}
