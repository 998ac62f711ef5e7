using System.Numerics;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Rasters compared by correlation: mean removed and scaled to unit length once, so comparing two is one dot
/// product — every glyph or value is compared with every template of every font.
/// </summary>
internal static class UnitVector
{
    /// <summary>The values less their mean, at unit length; all zeros when they are flat.</summary>
    public static float[] From(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        var mean = (float)(sum / Math.Max(values.Length, 1));
        var unit = new float[values.Length];
        double norm = 0;
        for (var i = 0; i < values.Length; i++)
        {
            unit[i] = values[i] - mean;
            norm += unit[i] * unit[i];
        }
        if (norm <= 1e-12) return new float[values.Length];
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < unit.Length; i++) unit[i] *= scale;
        return unit;
    }

    public static float Dot(float[] a, float[] b)
    {
        var width = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width) sum += new Vector<float>(a, i) * new Vector<float>(b, i);
        var dot = Vector.Sum(sum);
        for (; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }
}
