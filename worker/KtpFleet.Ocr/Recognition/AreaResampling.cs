namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Box-filter resampling of ink rasters to the small grids glyphs and values are compared on: each cell averages the
/// source pixels it covers, so thin strokes still register whether the raster shrinks or grows.
/// </summary>
internal static class AreaResampling
{
    /// <summary>The whole <paramref name="width"/> × <paramref name="height"/> raster as <paramref name="columns"/> × <paramref name="rows"/>.</summary>
    public static float[] Resample(float[] source, int width, int height, int columns, int rows)
    {
        var grid = new float[columns * rows];
        for (var gy = 0; gy < rows; gy++)
        {
            var y0 = gy * height / rows;
            var y1 = Math.Max(y0 + 1, (gy + 1) * height / rows);
            for (var gx = 0; gx < columns; gx++)
            {
                var x0 = gx * width / columns;
                var x1 = Math.Max(x0 + 1, (gx + 1) * width / columns);
                var sum = 0f;
                for (var y = y0; y < y1; y++)
                for (var x = x0; x < x1; x++)
                    sum += source[y * width + x];
                grid[gy * columns + gx] = sum / ((y1 - y0) * (x1 - x0));
            }
        }
        return grid;
    }
}
