using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// The first reading of a card's fields, the layout they were read from (see <see cref="FieldRecognizer.ReadAll"/>),
/// the shape readers' best guesses that were not decisive (<see cref="FieldRecognizer.ShapeGuessConfidence"/>), and
/// which of those guesses are firm digit-cell readings (<see cref="FormattedCellReader.IsFirm"/>).
/// </summary>
public sealed record CardReading(Dictionary<string, RawField> Fields, CardLayout Layout, Dictionary<string, RawField> Guesses, HashSet<string> FirmGuesses);

/// <summary>
/// Reads each located field: the NIK and the blood type by glyph matching (Tesseract with a restricted alphabet only
/// when the glyphs cannot be segmented), values from a closed vocabulary by matching the candidates' shapes
/// (<see cref="PhraseReader"/>), and every other value, or a vocabulary value no candidate clearly fits, in one
/// Tesseract call over the stacked value crops.
/// </summary>
public sealed class FieldRecognizer(NikGlyphReader nikReader, BloodTypeReader bloodReader, PhraseReader phraseReader, FormattedDigitReader digitReader)
{
    private readonly FormattedCellReader _cellReader = new();

    // Breathing room around a tight ink box: LSTM reads a glyph touching the crop edge badly.
    private const int PadX = 4;
    private const int PadY = 5;
    /// <summary>Enlargement of the second reading of values the first could not parse (see <see cref="Reread"/>).</summary>
    public const double RereadScale = 2.0;

    public FieldRecognizer() : this(new NikGlyphReader(), new BloodTypeReader(), new PhraseReader(), new FormattedDigitReader()) { }

    /// <summary>
    /// Every located field: the NIK and blood type by glyph matching, values of a closed vocabulary or a fixed digit
    /// format by shape where that is decisive, all other values in one call over their stack, read at the card's own
    /// scale (on 200 training photo cards, enlarging the stack 1.5x read 0.8 pt fewer fields exactly than not
    /// enlarging it; the enlargement is kept for <see cref="Reread"/>). Returns the layout as read: when the date of
    /// birth was read by its digits, the birthplace line ends before it (a re-reading must not read the date again).
    /// </summary>
    public CardReading ReadAll(TesseractEngine engine, GrayImageView card, CardLayout layout)
    {
        var raw = new Dictionary<string, RawField>(StringComparer.Ordinal);
        var guesses = new Dictionary<string, RawField>(StringComparer.Ordinal);
        var firm = new HashSet<string>(StringComparer.Ordinal);
        layout = SplitBirthDate(card, layout, raw, guesses, firm);
        var textFields = new List<(string Field, IReadOnlyList<PixelRect> Lines)>();
        foreach (var (field, lines) in layout.Fields)
        {
            if (lines.Count == 0) continue;
            switch (field)
            {
                case KtpField.Nik: raw[field] = layout.Nik is { } found ? FromGlyphs(found) : ReadNik(engine, card, lines[0]); break;
                case KtpField.GolonganDarah: raw[field] = ReadBloodType(engine, card, lines[0]); break;
                default:
                    // A guess-only vocabulary (the issue place: 1,000 candidates) is matched later, where it is needed (LateGuesses).
                    var (decisive, guess, firmGuess) = lines.Count == 1 && !PhraseReader.IsGuessOnly(field)
                        ? ReadByShape(card, field, lines[0])
                        : (null, null, false);
                    if (decisive is not null) raw[field] = decisive;
                    else textFields.Add((field, lines));
                    if (guess is not null) guesses[field] = guess;
                    if (firmGuess) firm.Add(field);
                    break;
            }
        }
        foreach (var (field, value) in ReadStacked(engine, card, textFields, 1.0)) raw[field] = value;
        return new CardReading(raw, layout, guesses, firm);
    }

    /// <summary>
    /// A one-line value read by its shape: the reading when decisive (Tesseract then skips the value), else the best
    /// guess, kept for when Tesseract's reading does not parse either, and whether that guess is firm.
    /// </summary>
    private (RawField? Decisive, RawField? Guess, bool Firm) ReadByShape(GrayImageView card, string field, PixelRect line) => field switch
    {
        KtpField.RtRw => ReadDigits(card, line, FormattedDigitReader.RtRwFormat),
        KtpField.TanggalTerbit => ReadDigits(card, line, FormattedDigitReader.DateFormat),
        KtpField.BerlakuHingga => Either(ReadPhrase(card, field, line), () => ReadDigits(card, line, FormattedDigitReader.DateFormat)),
        _ => ReadPhrase(card, field, line),
    };

    private static (RawField? Decisive, RawField? Guess, bool Firm) Either(
        (RawField? Decisive, RawField? Guess, bool Firm) first, Func<(RawField? Decisive, RawField? Guess, bool Firm)> second)
    {
        if (first.Decisive is not null) return first;
        var other = second();
        return first.Guess is not null ? (other.Decisive, first.Guess, first.Firm) : other;
    }

    /// <summary>
    /// Shape guesses for the given fields whose vocabulary is read only as a guess (<see cref="PhraseReader.IsGuessOnly"/>):
    /// made only for values that need one, since matching the issue place against every regency name costs ~10 ms.
    /// </summary>
    public Dictionary<string, RawField> LateGuesses(GrayImageView card, CardLayout layout, IEnumerable<string> fields)
    {
        var guesses = new Dictionary<string, RawField>(StringComparer.Ordinal);
        foreach (var field in fields.Where(PhraseReader.IsGuessOnly))
            if (layout.LinesOf(field) is [var line] && ReadPhrase(card, field, line).Guess is { } guess)
                guesses[field] = guess;
        return guesses;
    }

    /// <summary>
    /// The confidence of a shape reading that was not decisive, used only where Tesseract's reading of the value did
    /// not parse either: under every decisive reading's 90, in the calibration's lowest bucket, below the default
    /// auto-accept threshold. On 200 training photo cards the guesses took fields exact from 84.4 to 85.2 % with the
    /// confident share and auto-accept precision unchanged.
    /// </summary>
    public const double ShapeGuessConfidence = 40;

    /// <summary>
    /// The date at the end of the birthplace line, read by its digits; when decisive it is the date of birth and
    /// the line Tesseract reads ends before it.
    /// </summary>
    private CardLayout SplitBirthDate(
        GrayImageView card, CardLayout layout, Dictionary<string, RawField> raw, Dictionary<string, RawField> guesses, HashSet<string> firm)
    {
        var lines = layout.LinesOf(KtpField.TempatLahir);
        if (lines.Count == 0) return layout;
        var last = lines[^1];
        var reading = digitReader.Read(card, Pad(last, card), last.Height, FormattedDigitReader.DateFormat, atLineEnd: true);
        if (reading is null || !IsDate(reading.Text) || !reading.IsDecisive)
        {
            // Tesseract reads the whole line; the guess stands in for its date where that does not parse.
            var (guess, isFirm) = DigitGuess(card, last, FormattedDigitReader.DateFormat, reading is not null && IsDate(reading.Text) ? reading : null);
            if (guess is not null)
                guesses[KtpField.TanggalLahir] = new RawField(guess.Text, ShapeGuessConfidence, ToBox(guess.Box));
            if (isFirm) firm.Add(KtpField.TanggalLahir);
            return layout;
        }
        raw[KtpField.TanggalLahir] = new RawField(reading.Text, DigitConfidence(reading), ToBox(reading.Box));
        // The birthplace ends at its last letter: a lone trailing comma lowers Tesseract's confidence in the word
        // (POSO, read at 0.049 where POSO is certain).
        var placeWidth = (reading.TextBeforeRight ?? reading.Box.X) - last.X;
        List<PixelRect> place = [.. lines.Take(lines.Count - 1)];
        if (placeWidth >= last.Height) place.Add(last with { Width = placeWidth });
        var fields = new Dictionary<string, IReadOnlyList<PixelRect>>(layout.Fields, StringComparer.Ordinal) { [KtpField.TempatLahir] = place };
        return layout with { Fields = fields };
    }

    private (RawField? Decisive, RawField? Guess, bool Firm) ReadDigits(GrayImageView card, PixelRect line, string format)
    {
        var reading = digitReader.Read(card, Pad(line, card), line.Height, format);
        if (reading is not null && !Parses(reading.Text, format)) reading = null;
        if (reading is { IsDecisive: true }) return (new RawField(reading.Text, DigitConfidence(reading), ToBox(line)), null, false);
        var (guess, isFirm) = DigitGuess(card, line, format, reading);
        return guess is null ? (null, null, false) : (null, new RawField(guess.Text, ShapeGuessConfidence, ToBox(line)), isFirm);
    }

    /// <summary>
    /// The guess for a digit value the blob reader was not decisive about: the value read as cells
    /// (<see cref="FormattedCellReader"/>) where that parses — on 200 training photo cards the cells read 539 of 636
    /// dates and RT/RWs right where the blob reader read 386 — else the blobs' own parsing reading; firm only as cells.
    /// Never decisive: a guess for the re-reading and the digit vote.
    /// </summary>
    private (FormattedDigitReading? Guess, bool Firm) DigitGuess(GrayImageView card, PixelRect line, string format, FormattedDigitReading? blobs)
    {
        var cells = _cellReader.Read(card, Pad(line, card), format) is { } c && Parses(c.Text, format) ? c : null;
        return (cells ?? blobs, cells is not null && FormattedCellReader.IsFirm(cells));
    }

    private static bool Parses(string text, string format) => format != FormattedDigitReader.DateFormat || IsDate(text);

    /// <summary>A shape reading as the value (decisive, at its own confidence) or as the guess kept for later.</summary>
    private static (RawField? Decisive, RawField? Guess, bool Firm) DecisiveOrGuess(string text, bool decisive, Func<double> confidence, PixelRect line) =>
        decisive ? (new RawField(text, confidence(), ToBox(line)), null, false) : (null, new RawField(text, ShapeGuessConfidence, ToBox(line)), false);

    /// <summary>
    /// A decisive shape reading on Tesseract's 0..100 scale, so one calibration serves all readers: 90 at the
    /// decisive limits, 100 once both fit and lead are a span above them.
    /// </summary>
    private static double DecisiveConfidence(double fit, double fitLimit, double fitSpan, double lead, double leadLimit, double leadSpan) =>
        Math.Round(90 + 10 * Math.Min(Math.Clamp((fit - fitLimit) / fitSpan, 0, 1), Math.Clamp((lead - leadLimit) / leadSpan, 0, 1)), 1);

    private static bool IsDate(string text) => Parsing.DateParser.TryParse(text, out _, out _, out _);

    /// <summary>
    /// A decisive digit-cell reading on Tesseract's 0..100 scale: 90 at the decisive limits, 100 from 0.2 above
    /// them in fit and 0.07 in lead.
    /// </summary>
    internal static double DigitConfidence(FormattedDigitReading reading) =>
        DecisiveConfidence(reading.MinScore, FormattedDigitReading.DecisiveScore, 0.2, reading.MinMargin, FormattedDigitReading.DecisiveMargin, 0.07);

    /// <summary>
    /// The given stacked text fields once more, in one call, their stack enlarged <paramref name="scale"/>x (by
    /// default <see cref="RereadScale"/>): the LSTM sees the same blurred ~10-px glyphs at another size, and a value
    /// it could not read at one size it often reads at the other (the caller keeps the second reading only where it
    /// parses better). With another model's engine, at 1x, it is that model's reading (<see cref="SecondOpinion"/>).
    /// NIK and blood type, read by glyph matching, are not re-read.
    /// </summary>
    public Dictionary<string, RawField> Reread(TesseractEngine engine, GrayImageView card, CardLayout layout, IReadOnlyCollection<string> fields, double scale = RereadScale)
    {
        var textFields = layout.Fields
            .Where(kv => kv.Value.Count > 0 && fields.Contains(kv.Key) && !IsGlyphMatched(kv.Key))
            .Select(kv => (kv.Key, kv.Value))
            .ToList();
        return ReadStacked(engine, card, textFields, scale).ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
    }

    /// <summary>The fields read by glyph matching, never by Tesseract: nothing Tesseract reads again can improve them.</summary>
    public static bool IsGlyphMatched(string field) => field is KtpField.Nik or KtpField.GolonganDarah;

    /// <summary>All text fields in one Tesseract call over their stacked line crops (see <see cref="CompositeLines"/>).</summary>
    private static IEnumerable<(string Field, RawField Value)> ReadStacked(
        TesseractEngine engine, GrayImageView card, List<(string Field, IReadOnlyList<PixelRect> Lines)> fields, double scale)
    {
        if (fields.Count == 0) yield break;
        var crops = fields.SelectMany(f => f.Lines.Select(l => Pad(l, card))).ToList();
        using var stack = CompositeLines.Stack(card, crops, scale);
        var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleBlock, Whitelist = FieldReadingProfile.Text });
        var wordsByLine = page.Words.GroupBy(stack.LineOf).ToDictionary(g => g.Key, g => g.OrderBy(w => w.Box.X).ToList());
        var index = 0;
        foreach (var (field, lines) in fields)
        {
            var texts = new List<string>();
            var confidences = new List<double>();
            var unread = false;
            foreach (var _ in lines)
            {
                var line = index++;
                unread |= LeavesInkUnread(stack, line, wordsByLine.GetValueOrDefault(line));
                if (wordsByLine.TryGetValue(line, out var words))
                {
                    texts.Add(field == KtpField.Alamat
                        ? string.Join(' ', words.Select((w, i) => AbbreviationPeriods.Text(stack, w with { Text = HouseNumberLetters.Text(stack, w, i > 0 ? words[i - 1] : null) }, i + 1 < words.Count ? words[i + 1] : null, stack.LineRight(line))))
                        : string.Join(' ', words.Select(w => w.Text)));
                    confidences.AddRange(words.Where(w => w.Text.Trim(':').Length > 0).Select(w => (double)w.Confidence));
                }
            }
            var text = string.Join(' ', texts).Trim();
            yield return (field, new RawField(text.Length == 0 ? null : text, confidences.Count == 0 ? null : confidences.Average(), ToBox(Union(lines)))
            {
                LeavesInkUnread = unread && text.Length > 0,
            });
        }
    }

    /// <summary>
    /// Whether the words read on a stacked line leave a stretch of its print unread: the crop starts at the value's
    /// colon and spans its ink as the layout found it (levelled along the line, so glare-lightened print is in it),
    /// and a gap of more than <see cref="MaxUnreadGap"/> letter heights before the first word or between two is print
    /// Tesseract did not see (<c>JUN 12-06-1974</c> of <c>JUNGKAT, 12-06-1974</c> half under glare), not a word
    /// space. After the last word it is not: the layout's span often takes in specks of texture there (10 of 3,070
    /// confident values on 200 training photo cards ended that far before their crop's end, all of them right).
    /// </summary>
    internal static bool LeavesInkUnread(CompositeLines stack, int line, IReadOnlyList<OcrWord>? words)
    {
        if (words is not { Count: > 0 }) return true;
        var gap = MaxUnreadGap * stack.LineHeight(line);
        var x = stack.LineLeft;
        foreach (var w in words.OrderBy(w => w.Box.X))
        {
            if (w.Box.X - x > gap) return true;
            x = Math.Max(x, w.Box.Right);
        }
        return false;
    }

    /// <summary>A gap this many crop heights wide (~4 letters; a word space is under one) holds unread print.</summary>
    internal const double MaxUnreadGap = 2.5;

    /// <summary>
    /// A one-line vocabulary value read by shape: decisive when one candidate clearly fits. On 200 training photo
    /// cards (seed 100), readings past <see cref="PhraseReading.IsDecisive"/> were 954 of 1,058 such values and all
    /// right, where Tesseract read 90 % of the 1,058 right.
    /// </summary>
    private (RawField? Decisive, RawField? Guess, bool Firm) ReadPhrase(GrayImageView card, string field, PixelRect line)
    {
        var reading = phraseReader.Read(card, Pad(line, card), line.Height, field);
        if (reading is null || !reading.InVocabulary) return (null, null, false);
        return DecisiveOrGuess(reading.Text, reading.IsDecisive, () => PhraseConfidence(reading), line);
    }

    /// <summary>
    /// A decisive phrase match on Tesseract's 0..100 scale, so one calibration serves both: 90 at the decisive
    /// limits, 100 from 0.2 above them in fit and in lead.
    /// </summary>
    internal static double PhraseConfidence(PhraseReading reading) =>
        DecisiveConfidence(reading.Score, PhraseReading.DecisiveScore, 0.2, reading.Margin, PhraseReading.DecisiveMargin, 0.2);

    public RawField ReadNik(TesseractEngine engine, GrayImageView card, PixelRect line)
    {
        var reading = nikReader.Read(card, Pad(line, card));
        if (reading is not null) return FromGlyphs(reading);
        // Too noisy to segment: sixteen cells of one pitch, when they fit digits.
        if (nikReader.ReadCells(card, Pad(line, card)) is { } cells && NikCellReader.HoldsNik(cells)) return FromGlyphs(cells);
        // No clean 16-glyph line (smudge, glare): fall back to Tesseract, digits only, right of the label.
        var digitsPart = new PixelRect(line.X + line.Width / 5, line.Y, line.Width - line.Width / 5, line.Height);
        var page = engine.Recognize(card, new RecognitionSettings { Region = Pad(digitsPart, card), Whitelist = FieldReadingProfile.NikDigits });
        return new RawField(page.Text.Replace(" ", ""), MeanConfidence(page), ToBox(line));
    }

    /// <summary>
    /// The NIK's digits read by the nik model (<see cref="NikOpinion"/>): on the row the layout found, from a little
    /// before the value column (<see cref="NikOpinion.DigitsSpan"/>), stretched on their own as a stacked value is
    /// and read as one line. Null without a NIK row or when the model reads no digit there.
    /// </summary>
    public static RawField? ReadNikDigits(TesseractEngine engine, GrayImageView card, CardLayout layout)
    {
        if (layout.LinesOf(KtpField.Nik) is not [var row, ..]) return null;
        var digits = NikOpinion.DigitsSpan(row, layout.Evidence.ValueColumnX, card.Width);
        if (digits.IsEmpty) return null;
        using var stack = CompositeLines.Stack(card, [Pad(digits, card)], 1.0);
        var page = engine.Recognize(stack.View, new RecognitionSettings { Mode = PageSegMode.SingleLine, Whitelist = FieldReadingProfile.NikDigits });
        var text = NikOpinion.DigitsOf(page.Text);
        if (text.Length == 0) return null;
        return new RawField(text, page.Words.Count == 0 ? null : page.Words.Min(w => (double)w.Confidence), ToBox(digits));
    }

    /// <summary>A NIK reading with each segmented glyph's confidence (see <see cref="Checks.NikCorroboration"/>); a cell reading keeps only its capped whole.</summary>
    private static RawField FromGlyphs(NikGlyphReading reading) => new(reading.Digits, GlyphConfidence(reading), ToBox(reading.Box))
    {
        CharConfidences = reading.FromCells || reading.Scores.Count != reading.Digits.Length || reading.Margins.Count != reading.Digits.Length
            ? null
            : reading.Scores.Select((score, i) => GlyphConfidence(score, reading.Margins[i])).ToList(),
    };

    public RawField ReadBloodType(TesseractEngine engine, GrayImageView card, PixelRect value)
    {
        var reading = bloodReader.Read(card, Pad(value, card), value);
        var confidence = reading is null ? 0 : GlyphConfidence(reading.MinScore, reading.MinMargin);
        if (confidence < BloodGlyphTrusted && ReadBloodByShape(card, value) is { } shape && shape != reading?.Text)
        {
            // The whole value's shape leaves out a Rhesus dash (too small for its ink box); the glyphs' look does not.
            if (reading is { Text: [_, .., '-'] } && !shape.EndsWith('-')) shape += "-";
            if (shape != reading?.Text) return new RawField(shape, ShapeGuessConfidence, ToBox(value));
        }
        if (reading is not null) return new RawField(reading.Text, confidence, ToBox(value));
        return ReadLines(engine, card, [value], FieldReadingProfile.BloodType);
    }

    /// <summary>
    /// Under this glyph confidence the blood type is also read by its whole shape (<see cref="PhraseReader"/>):
    /// blurred, <c>AB</c> is one blob, which the glyph matcher takes for a <c>+</c>.
    /// </summary>
    private const double BloodGlyphTrusted = 50;

    /// <summary>
    /// The blood type as the whole value's shape, when one candidate fits and leads clearly: on 200 training photo
    /// cards, past these limits, it read 7 values the glyphs misread and none the glyphs read right. Reported at the
    /// shape guess's confidence (a Rhesus dash is too small to be in the value's ink box, so <c>AB-</c> reads
    /// <c>AB</c>: never auto-accepted).
    /// </summary>
    private string? ReadBloodByShape(GrayImageView card, PixelRect value) =>
        phraseReader.Read(card, Pad(value, card), value.Height, KtpField.GolonganDarah) is { InVocabulary: true } p
        && p.Score >= BloodShapeFit && p.Margin >= BloodShapeLead ? p.Text : null;

    private const double BloodShapeFit = 0.25;
    private const double BloodShapeLead = 0.1;

    /// <summary>
    /// Maps the glyph matcher's weakest glyph to Tesseract's 0..100 confidence scale so one calibration serves both:
    /// a glyph that matches its template well and beats the runner-up clearly is a reliable digit. On 120 generated
    /// cards every misread NIK that still parsed had a weakest-glyph lead under 0.055, and most right ones over 0.07.
    /// </summary>
    /// <remarks>
    /// A NIK read as cells (<see cref="NikCellReader"/>) comes from a line too noisy to segment; its correlations are
    /// on another scale, and a grid one cell off can still fit well, so it never counts as certain: at most
    /// <see cref="CellReadingConfidence"/>, below every auto-accept bucket, and it goes to review.
    /// </remarks>
    internal static double GlyphConfidence(NikGlyphReading reading) =>
        reading.FromCells
            ? Math.Min(CellReadingConfidence, GlyphConfidence(reading.MinScore, reading.MinMargin))
            : GlyphConfidence(reading.MinScore, reading.MinMargin);

    internal const double CellReadingConfidence = 60;

    /// <summary>A weakest glyph fitting its template this well (and above) scores from none to full fit.</summary>
    internal const double GlyphFitFloor = 0.45;
    internal const double GlyphFitRange = 0.3;
    /// <summary>A weakest glyph's lead over its runner-up that counts as certain.</summary>
    internal const double DecisiveGlyphLead = 0.07;

    internal static double GlyphConfidence(double minScore, double minMargin)
    {
        var fit = Math.Clamp((minScore - GlyphFitFloor) / GlyphFitRange, 0, 1);
        var separation = Math.Clamp(minMargin / DecisiveGlyphLead, 0, 1);
        return Math.Round(100 * Math.Min(fit, separation), 1);
    }

    private static RawField ReadLines(TesseractEngine engine, GrayImageView card, IReadOnlyList<PixelRect> lines, string whitelist)
    {
        var settings = new RecognitionSettings { Mode = PageSegMode.SingleLine, Whitelist = whitelist };
        var texts = new List<string>();
        var confidences = new List<double>();
        foreach (var line in lines)
        {
            var page = engine.Recognize(card, settings with { Region = Pad(line, card) });
            if (page.Text.Length > 0) texts.Add(page.Text);
            confidences.AddRange(page.Words.Where(w => w.Text.Trim(':').Length > 0).Select(w => (double)w.Confidence));
        }
        var box = Union(lines);
        return new RawField(texts.Count == 0 ? null : string.Join(' ', texts), confidences.Count == 0 ? null : confidences.Average(), ToBox(box));
    }

    private static double? MeanConfidence(OcrPage page) => page.Words.Count == 0 ? null : page.Words.Average(w => (double)w.Confidence);

    private static PixelRect Pad(PixelRect r, GrayImageView card) =>
        new PixelRect(r.X - PadX, r.Y - PadY, r.Width + 2 * PadX, r.Height + 2 * PadY).ClipTo(card.Width, card.Height);

    private static PixelRect Union(IReadOnlyList<PixelRect> rects)
    {
        int x = rects.Min(r => r.X), y = rects.Min(r => r.Y);
        return new PixelRect(x, y, rects.Max(r => r.Right) - x, rects.Max(r => r.Bottom) - y);
    }

    private static Box ToBox(PixelRect r) => new(r.X, r.Y, r.Width, r.Height);
}
