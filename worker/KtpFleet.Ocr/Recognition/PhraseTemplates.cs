using System.IO.Compression;
using System.Text.Json;

namespace KtpFleet.Ocr.Recognition;

/// <summary>One closed-vocabulary value rendered in one font, trimmed to its ink (8-bit gray, black ink on white).</summary>
internal sealed record PhraseTemplate(string Text, string Font, byte[] Gray, int Width, int Height)
{
    public double Aspect => (double)Width / Height;

    /// <summary>0 paper .. 1 ink per pixel; made on demand (the reader keeps only its comparison grid).</summary>
    public float[] Darkness()
    {
        var darkness = new float[Gray.Length];
        for (var i = 0; i < Gray.Length; i++) darkness[i] = (255 - Gray[i]) / 255f;
        return darkness;
    }
}

/// <summary>
/// Every value a KTP prints from a closed vocabulary, rendered in the Arial-metric fonts of KTP values by
/// scripts/gen-phrase-templates.sh and embedded from Data/phrase-templates.json.gz.
/// </summary>
internal sealed class PhraseTemplates
{
    private static readonly Lazy<PhraseTemplates> Embedded = new(Load);
    public static PhraseTemplates Shared => Embedded.Value;

    private readonly Dictionary<string, List<PhraseTemplate>> _byText;

    private PhraseTemplates(Dictionary<string, List<PhraseTemplate>> byText) => _byText = byText;

    public IEnumerable<string> Texts => _byText.Keys;

    /// <summary>The renderings of <paramref name="text"/> in every font; empty when it was never rendered.</summary>
    public IReadOnlyList<PhraseTemplate> Of(string text) => _byText.TryGetValue(text, out var t) ? t : [];

    private static PhraseTemplates Load()
    {
        // Gzipped whole: 1,200 small rasters share most of their bytes (1 MB, against 3.4 MB gzipped one by one).
        using var stream = new GZipStream(Reference.EmbeddedData.Open("phrase-templates.json.gz"), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(stream);
        var byText = new Dictionary<string, List<PhraseTemplate>>(StringComparer.Ordinal);
        foreach (var font in doc.RootElement.GetProperty("fonts").EnumerateObject())
        foreach (var entry in font.Value.EnumerateArray())
        {
            var text = entry.GetProperty("text").GetString()!;
            var width = entry.GetProperty("width").GetInt32();
            var height = entry.GetProperty("height").GetInt32();
            var gray = Convert.FromBase64String(entry.GetProperty("gray").GetString()!);
            if (gray.Length != width * height) throw new InvalidDataException($"phrase template '{text}' ({font.Name}) is not {width}x{height}");
            if (!byText.TryGetValue(text, out var list)) byText[text] = list = [];
            list.Add(new PhraseTemplate(text, font.Name, gray, width, height));
        }
        return new PhraseTemplates(byText);
    }
}
