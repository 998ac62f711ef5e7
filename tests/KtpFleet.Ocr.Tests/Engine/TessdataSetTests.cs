using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Tests.Engine;

public sealed class TessdataSetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessdata-test").FullName;

    [Fact]
    public void Loads_the_repository_default_version_and_verifies_it()
    {
        var set = TessdataSet.Load();
        Assert.Equal(TessdataSet.DefaultVersion, set.Version);
        Assert.Contains("ind", set.Languages);
        Assert.True(File.Exists(Path.Combine(set.Directory, "ind.traineddata")));
    }

    [Fact]
    public void Loads_the_repository_second_opinion_model_and_verifies_it()
    {
        var set = TessdataSet.Load(version: TessdataSet.SecondOpinionVersion);
        Assert.Equal(["ind"], set.Languages);
        using var engine = TesseractEngine.Create(set);
        Assert.NotNull(engine);
    }

    [Fact]
    public void Loads_the_model_trained_here_and_an_engine_takes_the_language_its_set_lists_first()
    {
        var set = TessdataSet.Load(version: TessdataSet.ThirdOpinionVersion);
        Assert.Equal(["ktp"], set.Languages);
        using var trained = TesseractEngine.Create(set);
        Assert.Equal("ktp", trained.Language);
        using var stock = TesseractEngine.Create(TessdataSet.Load());
        Assert.Equal("ind", stock.Language);
        using var english = TesseractEngine.Create(TessdataSet.Load(), "eng");
        Assert.Equal("eng", english.Language);
    }

    [Fact]
    public void Refuses_a_file_whose_checksum_differs_from_the_manifest()
    {
        var copy = CopyDefaultTo("v-tampered");
        using (var f = File.OpenWrite(Path.Combine(copy, "ind.traineddata"))) { f.Seek(1000, SeekOrigin.Begin); f.WriteByte(0x5A); }
        var error = Assert.Throws<KtpNativeException>(() => TessdataSet.Load(_root, "v-tampered"));
        Assert.Contains("checksum mismatch", error.Message);
    }

    [Fact]
    public void Refuses_a_missing_version_and_a_missing_file_with_clear_messages()
    {
        Assert.Contains("not found", Assert.Throws<KtpNativeException>(() => TessdataSet.Load(_root, "no-such")).Message);
        var copy = CopyDefaultTo("v-missing");
        File.Delete(Path.Combine(copy, "eng.traineddata"));
        Assert.Contains("file missing", Assert.Throws<KtpNativeException>(() => TessdataSet.Load(_root, "v-missing")).Message);
    }

    private string CopyDefaultTo(string version)
    {
        var source = TessdataSet.Load();
        var target = Path.Combine(_root, version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source.Directory))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var manifest = Path.Combine(target, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"version\": \"{TessdataSet.DefaultVersion}\"", $"\"version\": \"{version}\""));
        return target;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
