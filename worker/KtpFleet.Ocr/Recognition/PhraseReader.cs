using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Recognition;

/// <summary>What the phrase matcher read: the best candidate, how well it fits, and its lead over the best other text.</summary>
/// <param name="InVocabulary">false when a rival won (a country name where WNI/WNA is expected): never decisive</param>
/// <param name="GuessOnly">read from a vocabulary too large to be sure of by shape (the issue place): never decisive</param>
public sealed record PhraseReading(string Text, double Score, double Margin, bool InVocabulary = true, bool GuessOnly = false)
{
    /// <summary>
    /// Lowest fit (correlation less the aspect penalty) and lead of a reading taken without Tesseract. On 200 training
    /// photo cards every wrong best candidate had a lead under 0.23 or a fit under 0.15 (foreigners' country names
    /// fit <c>WNA</c> at most 0.14); right ones mostly fit at 0.4–0.8 with a lead of 0.3–0.9.
    /// </summary>
    public const double DecisiveScore = 0.25;
    public const double DecisiveMargin = 0.2;

    public bool IsDecisive => InVocabulary && !GuessOnly && Score >= DecisiveScore && Margin >= DecisiveMargin;
}

/// <summary>
/// Reads a value printed from a closed vocabulary (sex, religion, marital status, nationality, lifetime validity,
/// occupation) by comparing the ink of the whole value with every candidate rendered in the fonts KTP values are
/// printed in. At ~10-px cap height and a pixel of blur, single letters of <c>WNI</c> or <c>ISLAM</c> are barely
/// legible and Tesseract's LSTM reads them as <c>V</c> or <c>ISLAH</c>, but the shape of the whole word, its length
/// included, still tells the few candidates apart.
/// </summary>
/// <remarks>
/// The value's ink box is measured on the card and every candidate is stretched to it: print size, card scale and
/// position do not matter, only the shape. A value that is not in the vocabulary (a foreigner's country name) fits
/// no candidate well; the caller then reads it with Tesseract.
/// </remarks>
public sealed class PhraseReader
{
    /// <summary>Rows of the grid in which a value and a candidate are compared: about the cap height of a small photo's print.</summary>
    internal const int GridRows = 16;
    // A candidate whose aspect differs by more than this factor from the value's cannot win: not compared at all.
    private static readonly double AspectCutoff = Math.Log(1.45);

    private readonly Dictionary<string, Candidate[]> _byField;

    /// <summary>
    /// The default vocabularies' comparison grids, built once per process; the rendered templates they are made from
    /// are not kept (6 MB of rasters, most of them the issue place's regency names).
    /// </summary>
    private static readonly Lazy<Dictionary<string, Candidate[]>> DefaultCandidates = new(() =>
        CandidatesOf(DefaultVocabularies(Vocabulary.Shared), DefaultRivals(Vocabulary.Shared), PhraseTemplates.Load()));

    public PhraseReader() => _byField = DefaultCandidates.Value;

    /// <summary>
    /// Fields whose vocabulary is too large for a decisive shape reading: among 500 regency names many share a shape
    /// (on 200 training photo cards <c>TABANAN</c> under the photo was read <c>ASAHAN</c> decisively). Their reading
    /// is only a guess, for when Tesseract's reading does not parse.
    /// </summary>
    private static readonly HashSet<string> GuessOnlyFields = new(StringComparer.Ordinal) { KtpField.TempatTerbit };

    /// <summary>Whether the field's reading is only ever a guess (see <see cref="GuessOnlyFields"/>).</summary>
    public static bool IsGuessOnly(string field) => GuessOnlyFields.Contains(field);

    /// <param name="rivals">per field, texts that may be printed there but are not among its values: they compete, and when one wins the value is left to Tesseract</param>
    internal PhraseReader(IReadOnlyDictionary<string, IReadOnlyList<string>> vocabularies,
        IReadOnlyDictionary<string, IReadOnlyList<string>> rivals, PhraseTemplates templates) =>
        _byField = CandidatesOf(vocabularies, rivals, templates);

    private static Dictionary<string, Candidate[]> CandidatesOf(IReadOnlyDictionary<string, IReadOnlyList<string>> vocabularies,
        IReadOnlyDictionary<string, IReadOnlyList<string>> rivals, PhraseTemplates templates) =>
        vocabularies.ToDictionary(
            kv => kv.Key,
            kv =>
            {
                var values = kv.Value.Distinct().ToList();
                var others = rivals.GetValueOrDefault(kv.Key, []).Except(values);
                return values.SelectMany(templates.Of).Select(t => Candidate.From(t, isValue: true))
                    .Concat(others.SelectMany(templates.Of).Select(t => Candidate.From(t, isValue: false)))
                    .ToArray();
            },
            StringComparer.Ordinal);

    /// <summary>Every text the reader compares with, values and rivals: what scripts/gen-phrase-templates.sh renders.</summary>
    public static IEnumerable<string> TextsToRender() =>
        DefaultVocabularies(Vocabulary.Shared).Values.Concat(DefaultRivals(Vocabulary.Shared).Values)
            .SelectMany(t => t).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The fields this reader knows the vocabulary of.</summary>
    public IEnumerable<string> Fields => _byField.Keys;

    /// <summary>
    /// The closed vocabularies of a KTP's values, Indonesian and English (foreigners' cards), and the issue place's
    /// regency names (<see cref="GuessOnlyFields"/>). The headers' region names are not among them: Tesseract reads
    /// their large print, and the region snapper checks it.
    /// </summary>
    internal static Dictionary<string, IReadOnlyList<string>> DefaultVocabularies(Vocabulary v) => new(StringComparer.Ordinal)
    {
        [KtpField.TempatTerbit] = IssuePlaces(RegionTable.Shared),
        [KtpField.JenisKelamin] = [.. v.Sexes, .. v.SexesEnglish],
        [KtpField.Agama] = [.. v.Religions, .. v.ReligionsEnglish],
        [KtpField.StatusPerkawinan] = [.. v.MaritalStatuses, .. v.MaritalStatusesEnglish],
        [KtpField.Kewarganegaraan] = [Vocabulary.Citizen, Vocabulary.Foreigner],
        [KtpField.BerlakuHingga] = [Vocabulary.Lifetime],
        [KtpField.Pekerjaan] = v.Occupations,
        // A lone "-" has no letters to match; BloodTypeReader tells it by shape.
        [KtpField.GolonganDarah] = [.. v.BloodTypes.Where(t => t != "-")],
    };

    /// <summary>The regencies' and cities' names as printed under the photo: bare, without <c>KABUPATEN</c>/<c>KOTA</c>.</summary>
    internal static IReadOnlyList<string> IssuePlaces(RegionTable regions) =>
        [.. regions.Within(RegionLevel.Regency, null).SelectMany(r => r.PrintedNames).Select(PrintedRegionNames.Bare).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// A foreigner's card prints a country name as nationality: a clean <c>INDIA</c> fits <c>WNA</c> better than
    /// <c>WNI</c> by a wide lead unless the country names compete too.
    /// </summary>
    internal static Dictionary<string, IReadOnlyList<string>> DefaultRivals(Vocabulary v) => new(StringComparer.Ordinal)
    {
        [KtpField.Kewarganegaraan] = v.Countries,
    };

    /// <summary>
    /// The best candidate for the value of <paramref name="field"/> in <paramref name="region"/> (which may start
    /// with the colon); null when the region holds no letters or the field has no vocabulary.
    /// </summary>
    /// <param name="lineHeight">height of the text row as located: tells letters from colon dots and specks</param>
    public PhraseReading? Read(GrayImageView image, PixelRect region, int lineHeight, string field)
    {
        if (!_byField.TryGetValue(field, out var candidates) || candidates.Length == 0) return null;
        var mask = InkMask.FromRegion(image, region);
        if (mask.Width == 0) return null;
        PhraseReading? best = null;
        foreach (var box in ValueBoxes(mask.Core(), lineHeight))
        {
            var reading = Match(mask, WithTrailingInk(mask, box), candidates);
            if (reading is not null && GuessOnlyFields.Contains(field)) reading = reading with { GuessOnly = true };
            if (reading is not null && (best is null || reading.Score > best.Score)) best = reading;
        }
        return best;
    }

    /// <summary>
    /// Where the value's ink may be: from its first letter to the last one before a gap wider than a word space,
    /// and the same without a first narrow mark (the colon, when its two dots blurred into one blob).
    /// </summary>
    internal static IEnumerable<InkComponent> ValueBoxes(InkMask core, int lineHeight)
    {
        if (ValueInk.Find(core, lineHeight) is not { } ink) yield break;
        var (letters, cap) = (ink.Letters, ink.CapHeight);
        yield return Chain(letters, 0, cap);
        if (letters.Count > 1 && letters[0].Width <= cap * 0.35 && letters[1].X - letters[0].Right >= cap * 0.15)
            yield return Chain(letters, 1, cap);
    }

    /// <summary>
    /// The box widened over the ink of the plain (Otsu) mask that trails it in its rows, up to a gap wider than a word
    /// space, when that ink holds more than <see cref="TrailingInkLimit"/>: letters too faint or too broken for the
    /// dark core, which the box would otherwise leave out.
    /// </summary>
    internal static InkComponent WithTrailingInk(InkMask mask, InkComponent box)
    {
        var (pixels, gap, end) = (0, 0, box.Right);
        for (var x = box.Right; x < mask.Width && gap <= box.Height * WordSpace; x++)
        {
            var column = 0;
            for (var y = box.Y; y < box.Bottom; y++) if (mask[x, y]) column++;
            if (column == 0) { gap++; continue; }
            (gap, end) = (0, x + 1);
            pixels += column;
        }
        return pixels < TrailingInkLimit * box.Height * box.Height ? box : box with { Width = end - box.X };
    }

    /// <summary>
    /// Trailing ink, in squares of the box's height, worth reading with the box: a quarter of a letter. On 200
    /// training photo cards (seed 100) no decisive reading left out more than 0.07; a blurred <c>BUDDHISM</c> whose
    /// <c>ISM</c> broke into specks left out 0.58, and without it fitted <c>BUDHA</c> decisively.
    /// </summary>
    internal const double TrailingInkLimit = 0.25;

    /// <summary>A wide word space, in cap heights: a wider gap ends the value.</summary>
    private const double WordSpace = 1.1;

    /// <summary>Letters from <paramref name="start"/> on, while the gap to the next is at most a wide word space.</summary>
    private static InkComponent Chain(List<InkComponent> letters, int start, double cap)
    {
        var box = letters[start];
        for (var i = start + 1; i < letters.Count && letters[i].X - box.Right <= cap * WordSpace; i++) box = box.Union(letters[i]);
        return box;
    }

    private static PhraseReading? Match(InkMask mask, InkComponent box, Candidate[] candidates)
    {
        if (box.Width < 2 || box.Height < 3) return null;
        var darkness = Relevel(mask, box);
        var aspect = (double)box.Width / box.Height;
        var cache = new Dictionary<int, float[]>();
        // Best score per text: renderings of the same text in other fonts are not rivals.
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var aspectGap = Math.Abs(Math.Log(aspect / candidate.Aspect));
            if (aspectGap > AspectCutoff) continue;
            if (!cache.TryGetValue(candidate.Columns, out var unit))
                cache[candidate.Columns] = unit = UnitVector.From(AreaResampling.Resample(darkness, box.Width, box.Height, candidate.Columns, GridRows));
            var score = UnitVector.Dot(unit, candidate.Unit) - 0.5 * aspectGap;
            if (!scores.TryGetValue(candidate.Text, out var s) || score > s) scores[candidate.Text] = score;
            if (candidate.IsValue) values.Add(candidate.Text);
        }
        if (scores.Count == 0) return null;
        var ranked = scores.OrderByDescending(kv => kv.Value).ToList();
        var runnerUp = ranked.Count > 1 ? ranked[1].Value : 0;
        return new PhraseReading(ranked[0].Key, ranked[0].Value, ranked[0].Value - runnerUp, values.Contains(ranked[0].Key));
    }

    /// <summary>The box's darkness re-levelled inside it: a tint or a shadow over the value adds no ink.</summary>
    private static float[] Relevel(InkMask mask, InkComponent box)
    {
        var pixels = new float[box.Width * box.Height];
        for (var y = 0; y < box.Height; y++)
            Array.Copy(mask.Darkness, (box.Y + y) * mask.Width + box.X, pixels, y * box.Width, box.Width);
        var sorted = (float[])pixels.Clone();
        Array.Sort(sorted);
        var paper = sorted[sorted.Length / 4];
        var ink = Math.Max(sorted[^1] - paper, 0.05f);
        for (var i = 0; i < pixels.Length; i++) pixels[i] = Math.Clamp((pixels[i] - paper) / ink, 0, 1);
        return pixels;
    }

    /// <summary>A template reduced to the comparison grid once, when the reader is built.</summary>
    private sealed record Candidate(string Text, bool IsValue, double Aspect, int Columns, float[] Unit)
    {
        public static Candidate From(PhraseTemplate t, bool isValue)
        {
            var columns = Math.Max(1, (int)Math.Round(GridRows * t.Aspect));
            return new Candidate(t.Text, isValue, t.Aspect, columns, UnitVector.From(AreaResampling.Resample(t.Darkness(), t.Width, t.Height, columns, GridRows)));
        }
    }
}
