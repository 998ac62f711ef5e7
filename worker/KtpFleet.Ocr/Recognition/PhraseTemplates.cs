using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

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
    private readonly Dictionary<string, List<PhraseTemplate>> _byText;

    private PhraseTemplates(Dictionary<string, List<PhraseTemplate>> byText) => _byText = byText;

    public IEnumerable<string> Texts => _byText.Keys;

    /// <summary>The renderings of <paramref name="text"/> in every font; empty when it was never rendered.</summary>
    public IReadOnlyList<PhraseTemplate> Of(string text) => _byText.TryGetValue(text, out var t) ? t : [];

    /// <summary>Decoded from the embedded file on every call: callers keep what they derive, not the rasters.</summary>
    public static PhraseTemplates Load()
    {
        // Gzipped whole: 1,400 small rasters share most of their bytes (1 MB, against 3.4 MB gzipped one by one).
        using var stream = new GZipStream(Reference.EmbeddedData.Open("phrase-templates.json.gz"), CompressionMode.Decompress);
        // Deserialised from one array of its own: a JsonDocument over the 8.6 MB document rents buffers of its size
        // from the shared pool, which keeps them (~30 MB) for the life of the process.
        using var json = new MemoryStream();
        stream.CopyTo(json);
        var file = JsonSerializer.Deserialize<TemplateFile>(json.GetBuffer().AsSpan(0, (int)json.Length))
            ?? throw new InvalidDataException("phrase-templates.json.gz holds no templates");
        var byText = new Dictionary<string, List<PhraseTemplate>>(StringComparer.Ordinal);
        foreach (var (font, entries) in file.Fonts)
        foreach (var entry in entries)
        {
            if (entry.Gray.Length != entry.Width * entry.Height)
                throw new InvalidDataException($"phrase template '{entry.Text}' ({font}) is not {entry.Width}x{entry.Height}");
            if (!byText.TryGetValue(entry.Text, out var list)) byText[entry.Text] = list = [];
            list.Add(new PhraseTemplate(entry.Text, font, entry.Gray, entry.Width, entry.Height));
        }
        return new PhraseTemplates(byText);
    }

    private sealed record TemplateFile([property: JsonPropertyName("fonts")] Dictionary<string, List<TemplateEntry>> Fonts);

    private sealed record TemplateEntry(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("width")] int Width,
        [property: JsonPropertyName("height")] int Height,
        [property: JsonPropertyName("gray")] byte[] Gray);
}
