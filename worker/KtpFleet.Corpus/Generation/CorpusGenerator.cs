using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Data;
using KtpFleet.Corpus.Rendering;

namespace KtpFleet.Corpus.Generation;

public sealed record CorpusOptions
{
    public required int Count { get; init; }
    public required long Seed { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary>One profile for every card, or null for the fixed mix of all four.</summary>
    public CaptureProfile? Profile { get; init; }
    public double InconsistentFraction { get; init; } = 0.10;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Generates a corpus: per card, data → layout → SVG → capture → image + ground truth, in parallel. Every card
/// draws from its own random stream seeded by (seed, index), so the result does not depend on scheduling.
/// </summary>
public sealed class CorpusGenerator(RegionData regions, Vocabulary vocabulary)
{
    public CorpusGenerator() : this(RegionData.Instance, Vocabulary.Instance) { }

    public async Task<CorpusManifest> GenerateAsync(CorpusOptions options, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        if (options.Count < 1) throw new ArgumentOutOfRangeException(nameof(options), "count must be at least 1");
        Directory.CreateDirectory(options.OutputDirectory);
        var factory = new CardDataFactory(regions, vocabulary, options.InconsistentFraction);
        var entries = new ManifestEntry[options.Count];
        var done = 0;

        await Parallel.ForAsync(0, options.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            (index, _) =>
            {
                entries[index] = GenerateCard(factory, options, index);
                progress?.Report(Interlocked.Increment(ref done));
                return ValueTask.CompletedTask;
            });

        var manifest = new CorpusManifest
        {
            Generator = "ktp corpus generate",
            Seed = options.Seed,
            Count = options.Count,
            Profile = options.Profile is { } p ? CaptureProfiles.Name(p) : "mixed",
            InconsistentFraction = options.InconsistentFraction,
            Cards = entries,
        };
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "manifest.json"), CorpusJson.Serialize(manifest), ct);
        return manifest;
    }

    private static ManifestEntry GenerateCard(CardDataFactory factory, CorpusOptions options, int index)
    {
        var id = $"ktp-{index:D5}";
        var profile = options.Profile ?? CaptureProfiles.MixedAt(index);
        var card = factory.Create(id, CardRandom.ForCard(options.Seed, index, "data"));
        var layout = CardLayoutBuilder.Build(card, CardRandom.ForCard(options.Seed, index, "layout"));
        var svg = CardSvg.Build(layout, CardRandom.ForCard(options.Seed, index, "svg"));
        var plan = CapturePlanner.Plan(profile, CardRandom.ForCard(options.Seed, index, "capture"));

        var image = $"{id}.{plan.Extension}";
        var work = Directory.CreateTempSubdirectory("ktp-corpus-");
        try
        {
            var svgPath = Path.Combine(work.FullName, "card.svg");
            File.WriteAllText(svgPath, svg);
            CaptureRenderer.Render(svgPath, plan, Path.Combine(options.OutputDirectory, image), work.FullName);
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var truth = new GroundTruth
        {
            Id = id,
            Image = image,
            Profile = CaptureProfiles.Name(profile),
            Fields = card.Fields,
            ExpectedFailedChecks = card.ExpectedFailedChecks,
            Inconsistency = card.Inconsistency.ToString().ToLowerInvariant(),
            NikRegionCode = card.NikDistrict.Code,
            PrintedRegionCode = card.PrintedDistrict.Code,
            Foreigner = card.IsForeigner,
            Corners = plan.Corners,
            Rotation = plan.Rotation,
            FieldBoxes = layout.FieldBoxes,
            Capture = plan,
            Layout = layout.Style,
        };
        var gtName = $"{id}.gt.json";
        File.WriteAllText(Path.Combine(options.OutputDirectory, gtName), CorpusJson.Serialize(truth));
        return new ManifestEntry(id, image, gtName, truth.Profile, card.ExpectedFailedChecks);
    }
}
