using System.Runtime.InteropServices;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Engine;

/// <summary>
/// One initialised Tesseract instance (LSTM) for one language. Reusable across images; NOT thread-safe: an engine is
/// used by one thread at a time, which <see cref="EnginePool"/> guarantees.
/// </summary>
public sealed class TesseractEngine : IDisposable
{
    private const string WhitelistVariable = "tessedit_char_whitelist";
    private readonly TessApiHandle _api;
    private string _whitelist = string.Empty;

    public string Language { get; }
    public string TessdataVersion { get; }

    private TesseractEngine(TessApiHandle api, string language, string tessdataVersion)
    {
        _api = api;
        Language = language;
        TessdataVersion = tessdataVersion;
    }

    /// <summary>The loaded libtesseract's version, e.g. "5.3.0".</summary>
    /// <exception cref="KtpNativeException">libtesseract cannot be loaded</exception>
    public static string LibraryVersion
    {
        get
        {
            try { return Marshal.PtrToStringUTF8(TesseractNative.TessVersion()) ?? "unknown"; }
            catch (DllNotFoundException e)
            {
                throw new KtpNativeException("libtesseract.so.5 not found: install it with `apt-get install libtesseract5` (./ktp does this)", e);
            }
        }
    }

    /// <param name="language">null: the set's first language (its manifest lists the model it is for first)</param>
    /// <exception cref="KtpNativeException">library missing or too old, language not in the set, or init failure</exception>
    public static TesseractEngine Create(TessdataSet tessdata, string? language = null)
    {
        language ??= tessdata.Languages[0];
        var version = LibraryVersion;
        if (!version.StartsWith('5'))
            throw new KtpNativeException($"libtesseract {version} is not supported: Tesseract 5.x is required");
        if (!tessdata.Languages.Contains(language))
            throw new KtpNativeException($"language '{language}' is not in tessdata {tessdata.Version} ({string.Join(", ", tessdata.Languages)})");

        var api = TesseractNative.TessBaseAPICreate();
        if (api.IsInvalid) throw new KtpNativeException("TessBaseAPICreate failed");
        if (TesseractNative.TessBaseAPIInit2(api, tessdata.Directory, language, TesseractNative.OemLstmOnly) != 0)
        {
            api.Dispose();
            throw new KtpNativeException($"Tesseract could not load '{language}' from {tessdata.Directory}");
        }
        // Card crops carry no DPI; without this Tesseract guesses and warns on stderr for every image.
        _ = TesseractNative.TessBaseAPISetVariable(api, "user_defined_dpi", "300");
        _ = TesseractNative.TessBaseAPISetVariable(api, "debug_file", "/dev/null");
        // A KTP has no light-on-dark text: retrying low-confidence lines inverted (the default) read nothing more on
        // 100 photo cards (78.2 vs 78.1% of fields exact) and cost their p95 45 ms (docs/benchmarks.md).
        _ = TesseractNative.TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
        return new TesseractEngine(api, language, tessdata.Version);
    }

    public OcrPage Recognize(GrayImageView image, RecognitionSettings settings)
    {
        image.Validate();
        ObjectDisposedException.ThrowIf(_api.IsClosed, this);

        SetWhitelist(settings.Whitelist ?? string.Empty);
        TesseractNative.TessBaseAPISetPageSegMode(_api, (int)settings.Mode);
        TesseractNative.TessBaseAPISetImage(_api, image.Data, image.Width, image.Height, 1, image.Stride);
        TesseractNative.TessBaseAPISetSourceResolution(_api, 300);
        if (settings.Region is { } region)
        {
            var clipped = region.ClipTo(image.Width, image.Height);
            if (clipped.IsEmpty) return new OcrPage(string.Empty, 0, []);
            TesseractNative.TessBaseAPISetRectangle(_api, clipped.X, clipped.Y, clipped.Width, clipped.Height);
        }
        try
        {
            if (TesseractNative.TessBaseAPIRecognize(_api, IntPtr.Zero) != 0)
                throw new KtpNativeException("Tesseract recognition failed");
            var text = TesseractNative.TakeText(TesseractNative.TessBaseAPIGetUTF8Text(_api)).Trim();
            var confidence = TesseractNative.TessBaseAPIMeanTextConf(_api);
            var words = settings.Words ? ReadWords() : [];
            return new OcrPage(text, confidence, words);
        }
        finally
        {
            // Drops the copied image and results now rather than at the next call.
            TesseractNative.TessBaseAPIClear(_api);
        }
    }

    /// <summary>Recognises a managed gray buffer (pins it for the call).</summary>
    public unsafe OcrPage Recognize(ReadOnlySpan<byte> pixels, int width, int height, int stride, RecognitionSettings settings)
    {
        if (pixels.Length < (long)stride * height) throw new ArgumentException("pixel buffer is smaller than stride × height");
        fixed (byte* p = pixels) return Recognize(new GrayImageView((IntPtr)p, width, height, stride), settings);
    }

    private List<OcrWord> ReadWords()
    {
        var words = new List<OcrWord>();
        using var iterator = TesseractNative.TessBaseAPIGetIterator(_api);
        if (iterator.IsInvalid) return words;
        var page = TesseractNative.TessResultIteratorGetPageIterator(iterator);
        var line = -1;
        do
        {
            if (TesseractNative.TessPageIteratorIsAtBeginningOf(page, TesseractNative.LevelTextLine) != 0) line++;
            var text = TesseractNative.TakeText(TesseractNative.TessResultIteratorGetUTF8Text(iterator, TesseractNative.LevelWord));
            if (text.Length == 0) continue;
            var confidence = TesseractNative.TessResultIteratorConfidence(iterator, TesseractNative.LevelWord);
            _ = TesseractNative.TessPageIteratorBoundingBox(page, TesseractNative.LevelWord, out var l, out var t, out var r, out var b);
            words.Add(new OcrWord(text, confidence, new PixelRect(l, t, r - l, b - t), Math.Max(line, 0)));
        }
        while (TesseractNative.TessResultIteratorNext(iterator, TesseractNative.LevelWord) != 0);
        return words;
    }

    private void SetWhitelist(string whitelist)
    {
        if (whitelist == _whitelist) return;
        if (TesseractNative.TessBaseAPISetVariable(_api, WhitelistVariable, whitelist) == 0)
            throw new KtpNativeException("Tesseract rejected the character whitelist");
        _whitelist = whitelist;
    }

    public void Dispose() => _api.Dispose();
}
