using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Generation;

namespace KtpFleet.Corpus.Tests;

public sealed class DeterminismTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ktp-determinism-").FullName;

    [Fact]
    public async Task Same_seed_gives_a_byte_identical_corpus_whatever_the_parallelism()
    {
        var a = await Generate("a", seed: 77, parallelism: 2);
        var b = await Generate("b", seed: 77, parallelism: 1);
        var filesA = Files(a);
        Assert.Equal(filesA.Keys, Files(b).Keys);
        Assert.Equal(8 * 2 + 1, filesA.Count);
        foreach (var (name, bytes) in filesA)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name))), $"{name} differs between two runs with the same seed");
    }

    [Fact]
    public async Task Different_seeds_give_different_cards()
    {
        var a = Files(await Generate("c", seed: 77, parallelism: 2));
        var b = Files(await Generate("d", seed: 78, parallelism: 2));
        foreach (var name in a.Keys.Where(n => n.StartsWith("ktp-", StringComparison.Ordinal)))
            Assert.False(b.TryGetValue(name, out var other) && other.AsSpan().SequenceEqual(a[name]), $"{name} is the same for seeds 77 and 78");
    }

    private async Task<string> Generate(string name, long seed, int parallelism)
    {
        var directory = Path.Combine(_root, name);
        await new CorpusGenerator().GenerateAsync(new CorpusOptions { Count = 8, Seed = seed, OutputDirectory = directory, Parallelism = parallelism });
        return directory;
    }

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

public sealed class CaptureProfileTests
{
    [Fact]
    public void Mixed_corpora_hold_all_profiles_in_fixed_proportions()
    {
        var counts = Enumerable.Range(0, 100).GroupBy(CaptureProfiles.MixedAt).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(25, counts[CaptureProfile.Clean]);
        Assert.Equal(25, counts[CaptureProfile.Scan]);
        Assert.Equal(30, counts[CaptureProfile.Photo]);
        Assert.Equal(20, counts[CaptureProfile.Hard]);
    }

    [Fact]
    public void Plans_stay_within_the_profile_limits()
    {
        for (var i = 0; i < 400; i++)
        {
            var scan = CapturePlanner.Plan(CaptureProfile.Scan, CardRandom.ForCard(3, i, "capture"));
            Assert.InRange(scan.InPlaneAngle, -3, 3);
            Assert.Equal(0, scan.Rotation);
            Assert.InRange(scan.JpegQuality, 75, 92);

            var photo = CapturePlanner.Plan(CaptureProfile.Photo, CardRandom.ForCard(3, i, "capture"));
            Assert.True(Math.Sqrt(photo.YawDegrees * photo.YawDegrees + photo.PitchDegrees * photo.PitchDegrees) <= 30.001);
            Assert.InRange(photo.JpegQuality, 50, 90);
            Assert.Equal(photo.Rotation % 180 == 0 ? (1024, 768) : (768, 1024), (photo.Width, photo.Height));
        }
        var rotations = Enumerable.Range(0, 200).Select(i => CapturePlanner.Plan(CaptureProfile.Photo, CardRandom.ForCard(3, i, "capture")).Rotation).Distinct().Order();
        Assert.Equal([0, 90, 180, 270], rotations);
    }

    [Fact]
    public void Quarter_turns_move_a_point_with_the_frame()
    {
        var p = new Point(10, 20);
        Assert.Equal(new Point(80, 10), CapturePlanner.TurnClockwise(p, 200, 100, 1));
        Assert.Equal(new Point(190, 80), CapturePlanner.TurnClockwise(p, 200, 100, 2));
        Assert.Equal(new Point(20, 190), CapturePlanner.TurnClockwise(p, 200, 100, 3));
    }
}
