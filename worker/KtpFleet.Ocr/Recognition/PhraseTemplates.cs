using System.IO.Compression;
using System.Text.Json;

namespace KtpFleet.Ocr.Recognition;

/// <summary>One closed-vocabulary value rendered in one font, trimmed to its ink (0 paper .. 1 ink per pixel).</summary>
internal sealed record PhraseTemplate(string Text, string Font, float[] Darkness, int Width, int Height)
{
    public double Aspect => (double)Width / Height;
}

/// <summary>
/// Every value a KTP prints from a closed vocabulary, rendered in the Arial-metric fonts of KTP values by
/// scripts/gen-phrase-templates.sh and embedded from Data/phrase-templates.json.
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
        using var stream = Reference.EmbeddedData.Open("phrase-templates.json");
        using var doc = JsonDocument.Parse(stream);
        var byText = new Dictionary<string, List<PhraseTemplate>>(StringComparer.Ordinal);
        foreach (var font in doc.RootElement.GetProperty("fonts").EnumerateObject())
        foreach (var entry in font.Value.EnumerateArray())
        {
            var text = entry.GetProperty("text").GetString()!;
            var width = entry.GetProperty("width").GetInt32();
            var height = entry.GetProperty("height").GetInt32();
            var gray = Gunzip(Convert.FromBase64String(entry.GetProperty("gray").GetString()!), width * height);
            var darkness = new float[gray.Length];
            for (var i = 0; i < gray.Length; i++) darkness[i] = (255 - gray[i]) / 255f;
            if (!byText.TryGetValue(text, out var list)) byText[text] = list = [];
            list.Add(new PhraseTemplate(text, font.Name, darkness, width, height));
        }
        return new PhraseTemplates(byText);
    }

    private static byte[] Gunzip(byte[] compressed, int length)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var pixels = new byte[length];
        gzip.ReadExactly(pixels);
        return pixels;
    }
}
