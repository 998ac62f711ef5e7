using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KtpFleet.Ocr.Results;

/// <summary>The one JSON shape of the result document: snake_case names and enum values.</summary>
public static class ResultJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);
    public static readonly JsonSerializerOptions Pretty = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };

    public static string Serialize(KtpResult result, bool pretty = false) =>
        JsonSerializer.Serialize(result, pretty ? Pretty : Options);

    public static KtpResult Deserialize(string json) =>
        JsonSerializer.Deserialize<KtpResult>(json, Options) ?? throw new JsonException("empty result document");
}
