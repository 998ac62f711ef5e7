using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Generation;

namespace KtpFleet.Corpus.Tests;

/// <summary>
/// A fixed small corpus rendered once for the tests that need images: 24 mixed cards (6 clean, 6 scan, 7 photo,
/// 5 hard) from a fixed seed, plus the same 24 cards rendered clean, to check where the ground truth says the card is.
/// </summary>
public sealed class RenderedCorpusFixture : IDisposable
{
    public const long Seed = 424242;
    public const int Count = 24;

    public string Directory { get; }
    public string CleanTwinDirectory { get; }
    public CorpusManifest Manifest { get; }
    public CorpusManifest CleanTwin { get; }

    public RenderedCorpusFixture()
    {
        var root = System.IO.Directory.CreateTempSubdirectory("ktp-corpus-tests-").FullName;
        Directory = Path.Combine(root, "mixed");
        CleanTwinDirectory = Path.Combine(root, "clean");
        var generator = new CorpusGenerator();
        Manifest = generator.GenerateAsync(new CorpusOptions { Count = Count, Seed = Seed, OutputDirectory = Directory }).GetAwaiter().GetResult();
        CleanTwin = generator.GenerateAsync(new CorpusOptions { Count = Count, Seed = Seed, OutputDirectory = CleanTwinDirectory, Profile = CaptureProfile.Clean })
            .GetAwaiter().GetResult();
    }

    public GroundTruth Truth(int index) => CorpusJson.ReadGroundTruth(Directory, Manifest.Cards[index]);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path.GetDirectoryName(Directory)!, recursive: true); }
        catch (IOException) { /* temp files; nothing else depends on them */ }
    }
}

[CollectionDefinition(Name)]
public sealed class RenderedCorpusCollection : ICollectionFixture<RenderedCorpusFixture>
{
    public const string Name = "rendered corpus";
}
