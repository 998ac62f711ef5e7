using System.Diagnostics;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Pipeline;

/// <summary>
/// The whole pipeline for one card: prepare (decode, find, rectify, orient) → locate fields → recognise → verify
/// (parse, cross-check, verdict). Holds a warm engine pool; thread-safe, one card per engine at a time.
/// </summary>
public sealed class KtpExtractor : IKtpExtractor, IDisposable
{
    public const string PipelineVersion = "ktp-pipeline/1";

    private readonly EnginePool _pool;
    private readonly EnginePool? _secondOpinion;
    private readonly EnginePool? _thirdOpinion;
    private readonly EnginePool? _nikModel;
    private readonly ImagePreprocessor _preprocessor;
    private readonly FieldLocator _locator;
    private readonly FieldRecognizer _recognizer;
    private readonly KtpVerifier _verifier;
    private readonly EngineInfo _engineInfo;

    private KtpExtractor(EnginePool pool, EnginePool? secondOpinion, EnginePool? thirdOpinion, EnginePool? nikModel, ImagePreprocessor preprocessor, KtpVerifier verifier)
    {
        _pool = pool;
        _secondOpinion = secondOpinion;
        _thirdOpinion = thirdOpinion;
        _nikModel = nikModel;
        _preprocessor = preprocessor;
        var nikReader = new NikGlyphReader();
        var digitReader = new FormattedDigitReader();
        _locator = new FieldLocator(nikReader, digitReader);
        _recognizer = new FieldRecognizer(nikReader, new BloodTypeReader(), new PhraseReader(), digitReader);
        _verifier = verifier;
        _engineInfo = new EngineInfo(TesseractEngine.LibraryVersion, pool.TessdataVersion, PipelineVersion, secondOpinion?.TessdataVersion, thirdOpinion?.TessdataVersion,
            nikModel?.TessdataVersion);
    }

    /// <exception cref="KtpNativeException">Tesseract, the model set or the shim is missing or broken</exception>
    public static KtpExtractor Create(OcrOptions? options = null)
    {
        options ??= new OcrOptions();
        var created = new List<EnginePool>();
        EnginePool? Load(string? version, int engines)
        {
            if (version is null) return null;
            var pool = new EnginePool(TessdataSet.Load(options.TessdataRoot, version), engines);
            created.Add(pool);
            return pool;
        }
        try
        {
            var pool = Load(options.TessdataVersion, options.Engines)!;
            // As many as the first pool: a card holds one of each at most, so renting another never waits long.
            var secondOpinion = Load(options.SecondOpinionVersion, pool.Size);
            var thirdOpinion = secondOpinion is null ? null : Load(options.ThirdOpinionVersion, pool.Size);
            var nikModel = Load(options.NikModelVersion, pool.Size);
            return new KtpExtractor(pool, secondOpinion, thirdOpinion, nikModel, new ImagePreprocessor(new ImageDecoder(options.Limits)), KtpVerifier.Shared);
        }
        catch
        {
            foreach (var pool in created) pool.Dispose();
            throw;
        }
    }

    public EnginePool Pool => _pool;

    /// <summary>The engines of the model that reads doubted values again (see <see cref="SecondOpinion"/>); null when off.</summary>
    public EnginePool? SecondOpinionPool => _secondOpinion;

    /// <summary>The engines of the model that settles what the first two read in doubt (see <see cref="ThirdOpinion"/>); null when off.</summary>
    public EnginePool? ThirdOpinionPool => _thirdOpinion;

    /// <summary>The engines of the model that reads a NIK row the glyph matcher doubted (see <see cref="NikOpinion"/>); null when off.</summary>
    public EnginePool? NikModelPool => _nikModel;

    public async Task<KtpResult> ExtractAsync(ReadOnlyMemory<byte> image, ExtractOptions? options = null, CancellationToken ct = default) =>
        (await ExtractDetailedAsync(image, options, ct).ConfigureAwait(false)).Result;

    /// <summary>The result and, per field, what its confidence was computed from (for calibration fits).</summary>
    public async Task<DetailedResult> ExtractDetailedAsync(ReadOnlyMemory<byte> image, ExtractOptions? options = null, CancellationToken ct = default)
    {
        // Rent first: a busy pool is back-pressure, and preparing images nobody can read yet only costs memory.
        using var lease = await _pool.RentAsync(ct).ConfigureAwait(false);
        try
        {
            return Extract(lease.Engine, image, options ?? new ExtractOptions());
        }
        catch (Exception e) when (FaultsEngine(e))
        {
            lease.MarkFaulted();
            throw;
        }
    }

    private DetailedResult Extract(TesseractEngine engine, ReadOnlyMemory<byte> image, ExtractOptions options)
    {
        var timings = new Dictionary<string, double>();
        var view = Look(image, wholeFrame: false, timings);
        if (!view.Layout.Evidence.LooksLikeKtp && !view.WholeFrame)
        {
            // The outline the finder chose holds no card (it can lock onto the photo of a tight crop): the image
            // may itself be the card, so it gets one look as a whole. Neither readable, the one that shows a KTP's
            // shape says why the card is rejected.
            var whole = Look(image, wholeFrame: true, timings);
            if (whole.Layout.Evidence.LooksLikeKtp || (whole.Layout.Evidence.ShowsKtpRows && !view.Layout.Evidence.ShowsKtpRows))
            {
                view.Dispose();
                view = whole;
            }
            else
            {
                whole.Dispose();
            }
        }
        using var _ = view;
        var (layout, pixels) = (view.Layout, view.Pixels);
        if (options.DebugDirectory is { } debug)
        {
            using var debugImage = pixels.ToImage();
            DebugImages.Write(debug, debugImage, layout);
        }

        if (!layout.Evidence.LooksLikeKtp)
            return new DetailedResult(Unread(layout, timings), new Dictionary<string, ConfidenceEvidence>());

        var clock = Stopwatch.StartNew();
        var (raw, readLayout, guesses, firmGuesses) = _recognizer.ReadAll(engine, pixels.View, layout);
        Lap(timings, "recognise", clock);

        if (_nikModel is not null && NikOpinion.Asks(raw.GetValueOrDefault(KtpField.Nik)))
        {
            if (ReadNikDigits(_nikModel, pixels.View, readLayout) is { } modelNik)
                raw[KtpField.Nik] = NikOpinion.Settle(raw.GetValueOrDefault(KtpField.Nik), modelNik);
            Lap(timings, "nik_model", clock);
        }

        // Asked from the raw readings alone, so the card is verified once, after the merge.
        if (_secondOpinion is not null && SecondOpinion.FieldsToAsk(raw) is { Count: > 0 } asked)
        {
            var second = ReadWith(_secondOpinion, pixels.View, readLayout, asked);
            var merged = SecondOpinion.Merge(raw, second);
            Lap(timings, "second_opinion", clock);
            if (_thirdOpinion is not null)
            {
                merged = ThirdOpinion.Settle(raw, second, merged, ReadWith(_thirdOpinion, pixels.View, readLayout, asked));
                Lap(timings, "third_opinion", clock);
            }
            raw = merged;
        }

        var verified = _verifier.Verify(raw, options.Policy);
        Lap(timings, "verify", clock);

        // Values that did not parse, and digit values Tesseract and the digit cells read differently, are read once
        // more, in one call (see Rereading and DigitVote).
        var doubtful = Rereading.LinesToReread(verified);
        var disputed = DigitVote.Disputed(raw, guesses);
        if (doubtful.Count + disputed.Count > 0)
        {
            var reread = _recognizer.Reread(engine, pixels.View, readLayout, [.. doubtful, .. disputed.Select(Rereading.Line)]);
            (raw, verified) = Rereading.KeepBetter(raw, verified, Only(reread, doubtful), r => _verifier.Verify(r, options.Policy));
            // What neither reading could parse, the shape readers' best guess fills, at a low confidence.
            foreach (var (field, guess) in _recognizer.LateGuesses(pixels.View, readLayout, doubtful)) guesses[field] = guess;
            (raw, verified) = Rereading.KeepBetter(raw, verified, guesses, r => _verifier.Verify(r, options.Policy));
            if (disputed.Count > 0 && DigitVote.Apply(raw, reread, guesses, disputed, firmGuesses) is var voted && disputed.Any(f => voted.GetValueOrDefault(f) != raw.GetValueOrDefault(f)))
                (raw, verified) = (voted, _verifier.Verify(voted, options.Policy));
            Lap(timings, "reread", clock);
        }
        var result = new KtpResult
        {
            Fields = verified.Fields,
            Checks = verified.Checks,
            Verdict = verified.Verdict,
            Engine = _engineInfo,
            TimingsMs = timings,
        };
        return new DetailedResult(result, verified.Evidence);
    }

    private Dictionary<string, RawField> ReadWith(EnginePool pool, GrayImageView card, CardLayout layout, IReadOnlyList<string> fields) =>
        WithEngine(pool, engine => _recognizer.Reread(engine, card, layout, fields, scale: 1.0));

    private static RawField? ReadNikDigits(EnginePool pool, GrayImageView card, CardLayout layout) =>
        WithEngine(pool, engine => FieldRecognizer.ReadNikDigits(engine, card, layout));

    /// <summary>One read with an engine rented from another model's pool, retired if the read faults it.</summary>
    private static T WithEngine<T>(EnginePool pool, Func<TesseractEngine, T> read)
    {
        using var lease = pool.Rent();
        try
        {
            return read(lease.Engine);
        }
        catch (Exception e) when (FaultsEngine(e))
        {
            lease.MarkFaulted();
            throw;
        }
    }

    /// <summary>
    /// Whether an exception thrown while an engine was lent retires the engine: anything but bad input or a
    /// cancellation. A failed recognition (<see cref="KtpNativeException"/>) may leave the engine in any state, and a
    /// needless replacement costs one engine start; both pools follow the same rule.
    /// </summary>
    private static bool FaultsEngine(Exception e) => e is not KtpImageException and not OperationCanceledException;

    private static Dictionary<string, RawField> Only(Dictionary<string, RawField> readings, IReadOnlyCollection<string> fields) =>
        readings.Where(kv => fields.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Prepares the card and locates its fields; the stage timings of the last look are the ones reported.</summary>
    private CardView Look(ReadOnlyMemory<byte> image, bool wholeFrame, Dictionary<string, double> timings)
    {
        using var prepared = wholeFrame ? _preprocessor.PrepareWholeFrame(image) : _preprocessor.Prepare(image);
        foreach (var (stage, ms) in prepared.TimingsMs) timings[stage] = Math.Round(ms, 2);
        var clock = Stopwatch.StartNew();
        // Flattened light, guilloche dropped (mean of the two brightest channels: the card's blue print is bright, black ink is not).
        CardPixels card;
        using (var flattened = prepared.Card.NormalizeBackground()) card = CardPixels.From(flattened);
        var (layout, upright) = Levelled(LocateUpright(card, prepared.Orientation));
        Lap(timings, "layout", clock);
        return new CardView(layout, upright, prepared.Location.IsFullFrame);
    }

    /// <summary>
    /// A card outline found a little off leaves the text leaning, and rows found by projection then merge: a layout
    /// short of rows is looked at once more with the text levelled, when it leans (<see cref="TextSkew"/>). Only
    /// then: measuring the lean costs ~13 ms, and a full set of rows has none that merged.
    /// </summary>
    private (CardLayout Layout, CardPixels Pixels) Levelled((CardLayout Layout, CardPixels Pixels) look)
    {
        if (look.Layout.Evidence.LabelRows >= FieldLocator.LabelRows.Count) return look;
        var lean = TextSkew.OfCard(look.Pixels.View);
        if (Math.Abs(lean) < TextSkew.WorthLevelling) return look;
        using var leaning = look.Pixels;
        var levelled = leaning.Levelled(lean);
        return (_locator.Locate(levelled.View), levelled);
    }

    /// <summary>An upright canonical card (owned) and where its fields are.</summary>
    private sealed record CardView(CardLayout Layout, CardPixels Pixels, bool WholeFrame) : IDisposable
    {
        public void Dispose() => Pixels.Dispose();
    }

    /// <summary>
    /// The orientation detector decides 0° vs 180° from coarse cues; when the layout then does not read as a KTP
    /// and the detector was unsure, the other way up gets one look. Returns the pixels to read (owning them).
    /// </summary>
    private (CardLayout Layout, CardPixels Pixels) LocateUpright(CardPixels card, OrientationDecision orientation)
    {
        var layout = _locator.Locate(card.View);
        if (layout.Evidence.LooksLikeKtp || orientation.Confidence >= 0.9) return (layout, card);
        var flipped = card.Rotated180();
        var other = _locator.Locate(flipped.View);
        if (other.Evidence.LooksLikeKtp)
        {
            card.Dispose();
            return (other, flipped);
        }
        flipped.Dispose();
        return (layout, card);
    }

    /// <summary>
    /// The result for a layout too short of a KTP's to read: <c>unreadable_card</c> when what was seen has a KTP's
    /// shape (a NIK line, or label–value rows), so the partner asks for a better photo; else <c>not_a_card</c>.
    /// </summary>
    private KtpResult Unread(CardLayout layout, Dictionary<string, double> timings) => new()
    {
        Fields = KtpField.All.ToDictionary(f => f, _ => new FieldResult(null, 0, null, null)),
        Checks = [],
        Verdict = new VerdictResult(Verdict.Rejected,
            [$"{(layout.Evidence.ShowsKtpRows ? VerdictEngine.UnreadableCard : VerdictEngine.NotACard)}: "
             + $"{(layout.Evidence.NikLineFound ? "NIK line found" : "no NIK line")}, {layout.Evidence.LabelRows} label rows, {layout.Evidence.AlignedRows} aligned"]),
        Engine = _engineInfo,
        TimingsMs = timings,
    };

    private static void Lap(Dictionary<string, double> timings, string stage, Stopwatch clock)
    {
        timings[stage] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        clock.Restart();
    }

    public void Dispose()
    {
        _pool.Dispose();
        _secondOpinion?.Dispose();
        _thirdOpinion?.Dispose();
        _nikModel?.Dispose();
    }
}

/// <summary>A result document with the inputs of each field's confidence.</summary>
public sealed record DetailedResult(KtpResult Result, IReadOnlyDictionary<string, ConfidenceEvidence> Evidence);
