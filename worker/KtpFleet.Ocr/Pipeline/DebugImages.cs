using System.Drawing;
using System.Text.Json;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Pipeline;

/// <summary>
/// Writes what the pipeline saw (the rectified card, each field's crop, and <c>layout.json</c>: each field's line
/// rectangles on the card) so a person can see what went wrong, and a training script can cut lines as the readers do.
/// </summary>
internal static class DebugImages
{
    public static void Write(string directory, ImageHandle card, CardLayout layout)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "card.png"), card.EncodePng());
        var rects = new SortedDictionary<string, int[][]>(StringComparer.Ordinal);
        foreach (var (field, lines) in layout.Fields)
        {
            rects[field] = [.. lines.Select(l => new[] { l.X, l.Y, l.Width, l.Height })];
            for (var i = 0; i < lines.Count; i++)
            {
                var r = lines[i].ClipTo(card.Width, card.Height);
                if (r.IsEmpty) continue;
                using var crop = card.Crop(new Rectangle(r.X, r.Y, r.Width, r.Height));
                File.WriteAllBytes(Path.Combine(directory, lines.Count == 1 ? $"{field}.png" : $"{field}-{i + 1}.png"), crop.EncodePng());
            }
        }
        File.WriteAllText(Path.Combine(directory, "layout.json"), JsonSerializer.Serialize(new { fields = rects, nik_line_found = layout.Evidence.NikLineFound, value_column_x = layout.Evidence.ValueColumnX }));
    }
}
