namespace KtpFleet.Ocr.Engine;

/// <summary>What one recognition call read: the text, Tesseract's mean confidence (0..100) and its words.</summary>
public sealed record OcrPage(string Text, int MeanConfidence, IReadOnlyList<OcrWord> Words)
{
    /// <summary>Words grouped into the text lines Tesseract found, top to bottom.</summary>
    public IEnumerable<IReadOnlyList<OcrWord>> Lines => Words.GroupBy(w => w.Line).OrderBy(g => g.Key).Select(g => (IReadOnlyList<OcrWord>)g.ToList());
}

/// <summary>A word with its confidence (0..100), box in image pixels and the index of its text line.</summary>
public sealed record OcrWord(string Text, float Confidence, PixelRect Box, int Line);

/// <summary>How to recognise one image or region.</summary>
public sealed record RecognitionSettings
{
    public PageSegMode Mode { get; init; } = PageSegMode.SingleLine;
    /// <summary>Restrict the output alphabet (honoured by the LSTM engine in 5.x); null for none.</summary>
    public string? Whitelist { get; init; }
    /// <summary>Recognise only this part of the image; null for all of it.</summary>
    public PixelRect? Region { get; init; }
    /// <summary>Collect per-word text, confidence and boxes (costs a little).</summary>
    public bool Words { get; init; } = true;
}
