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

    public static unsafe InkMask FromRegion(GrayImageView image, PixelRect region)
    {
        var r = region.ClipTo(image.Width, image.Height);
        if (r.IsEmpty) return new InkMask([], [], [], 0, 0, 0, 0, r.X, r.Y);
        var histogram = new int[256];
        var pixels = new byte[r.Width * r.Height];
        var src = (byte*)image.Data;
        for (var y = 0; y < r.Height; y++)
        {
            var row = src + (long)(r.Y + y) * image.Stride + r.X;
            for (var x = 0; x < r.Width; x++)
            {
                var v = row[x];
                pixels[y * r.Width + x] = v;
                histogram[v]++;
            }
        }
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

    public InkComponent Union(InkComponent other)
    {
        var x = Math.Min(X, other.X);
        var y = Math.Min(Y, other.Y);
        return new InkComponent(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y, Area + other.Area);
    }
}

internal static class ConnectedComponents
{
    /// <summary>8-connected components of the mask's ink, left to right.</summary>
    public static List<InkComponent> Find(InkMask mask)
    {
        var seen = new bool[mask.Ink.Length];
        var components = new List<InkComponent>();
        var stack = new Stack<int>();
        for (var start = 0; start < mask.Ink.Length; start++)
        {
            if (!mask.Ink[start] || seen[start]) continue;
            int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1, area = 0;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                int px = p % mask.Width, py = p / mask.Width;
                area++;
                if (px < minX) minX = px;
                if (px > maxX) maxX = px;
                if (py < minY) minY = py;
                if (py > maxY) maxY = py;
                for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int nx = px + dx, ny = py + dy;
                    if (nx < 0 || ny < 0 || nx >= mask.Width || ny >= mask.Height) continue;
                    var n = ny * mask.Width + nx;
                    if (!mask.Ink[n] || seen[n]) continue;
                    seen[n] = true;
                    stack.Push(n);
                }
            }
            components.Add(new InkComponent(minX, minY, maxX - minX + 1, maxY - minY + 1, area));
        }
        components.Sort((a, b) => a.X.CompareTo(b.X));
        return components;
    }
}
