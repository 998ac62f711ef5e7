using System.Drawing;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Pipeline;

/// <summary>Writes what the pipeline saw (the rectified card and each field's crop) so a person can see what went wrong.</summary>
internal static class DebugImages
{
    public static void Write(string directory, ImageHandle card, CardLayout layout)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "card.png"), card.EncodePng());
        foreach (var (field, lines) in layout.Fields)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var r = lines[i].ClipTo(card.Width, card.Height);
                if (r.IsEmpty) continue;
                using var crop = card.Crop(new Rectangle(r.X, r.Y, r.Width, r.Height));
                File.WriteAllBytes(Path.Combine(directory, lines.Count == 1 ? $"{field}.png" : $"{field}-{i + 1}.png"), crop.EncodePng());
            }
        }
    }
}
