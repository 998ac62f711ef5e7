using System.Diagnostics;
using KtpFleet.Ocr.Reference;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Reference;

public class RegionTableTests(ITestOutputHelper output)
{
    private static readonly RegionTable Table = RegionTable.Shared;

    [Fact]
    public void Holds_every_edition_and_the_2025_villages()
    {
        Assert.Equal(38, Table.Provinces.Count);
        Assert.Equal(38, Table.Count(RegionLevel.Province));
        Assert.True(Table.Count(RegionLevel.Regency) >= 514);
        Assert.True(Table.Count(RegionLevel.District) >= 7285);
        Assert.Equal(83_762, Table.Count(RegionLevel.Village));
    }

    [Theory]
    [InlineData("33", RegionLevel.Province, "JAWA TENGAH")]
    [InlineData("3301", RegionLevel.Regency, "KABUPATEN CILACAP")]
    [InlineData("6112", RegionLevel.Regency, "KABUPATEN KUBU RAYA")]
    [InlineData("611203", RegionLevel.District, "SUNGAI AMBAWANG")]
    [InlineData("6112032012", RegionLevel.Village, "PASAK PIANG")]
    [InlineData("3174", RegionLevel.Regency, "JAKARTA SELATAN")]
    [InlineData("31", RegionLevel.Province, "DKI JAKARTA")]
    [InlineData("9101", RegionLevel.Regency, "KABUPATEN MERAUKE")]
    [InlineData("1207281007", RegionLevel.Village, "LUBUK PAKAM I,II")]
    public void Finds_by_code_with_printed_names(string code, RegionLevel level, string printed)
    {
        var region = Table.Find(code);
        Assert.NotNull(region);
        Assert.Equal(level, region.Level);
        Assert.Equal(printed, region.PrintedName);
    }

    [Fact]
    public void Dki_cities_print_without_kota_but_keep_the_long_forms_as_aliases()
    {
        var region = Table.Find("3171")!;
        Assert.Equal(["JAKARTA PUSAT", "KOTA JAKARTA PUSAT", "KOTA ADMINISTRASI JAKARTA PUSAT"], region.PrintedNames);
    }

    [Fact]
    public void Knows_codes_that_existed_only_in_older_editions()
    {
        var merauke = Table.Find("9101")!;
        Assert.Contains(2016, merauke.Editions);
        Assert.False(merauke.InEdition(2025));
        Assert.True(Table.Exists("9101"));
        Assert.Null(Table.Find("3121"));
        Assert.Null(Table.Find("312100"));
        Assert.False(Table.Exists("99"));
    }

    [Fact]
    public void Lists_children()
    {
        var regencies = Table.RegenciesOf("33");
        Assert.Equal(35, regencies.Count);
        Assert.All(regencies, r => Assert.StartsWith("33", r.Code));
        var districts = Table.DistrictsOf("3301");
        Assert.Contains(districts, d => d.PrintedName == "KROYA");
        Assert.All(districts, d => Assert.Equal(RegionLevel.District, d.Level));
        var villages = Table.VillagesOf("611203");
        Assert.Contains(villages, v => v.PrintedName == "PASAK PIANG");
        Assert.All(villages, v => Assert.Equal("611203", v.ParentCode));
        Assert.Empty(Table.VillagesOf("999999"));
    }

    [Theory]
    [InlineData(RegionLevel.Province, "JAWA TENGAH", null, "33")]
    [InlineData(RegionLevel.Province, "JAWA TENGAII", null, "33")]
    [InlineData(RegionLevel.Province, "DKI JAKARTA", null, "31")]
    [InlineData(RegionLevel.Regency, "KABUPATEN CILACAP", "33", "3301")]
    [InlineData(RegionLevel.Regency, "KABUPATEN CLACAP", "33", "3301")]
    [InlineData(RegionLevel.Regency, "kota bandung", null, "3273")]
    [InlineData(RegionLevel.District, "SUNGAI AMBAWANG", "6112", "611203")]
    [InlineData(RegionLevel.District, "SUNGAl AMBAWANG", null, "611203")]
    [InlineData(RegionLevel.Village, "PASAK PlANG", "611203", "6112032012")]
    public void Finds_by_fuzzy_name(RegionLevel level, string name, string? within, string code) =>
        Assert.Equal(code, Table.FindByName(level, name, within)?.Item.Code);

    [Theory]
    [InlineData(RegionLevel.District, "ANGSANA RAYA", null)]
    [InlineData(RegionLevel.Province, "JAWA", null)]
    [InlineData(RegionLevel.District, "SUNGAI AMBAWANG", "3301")]
    public void Does_not_snap_far_names(RegionLevel level, string name, string? within) =>
        Assert.Null(Table.FindByName(level, name, within));

    [Fact]
    public void Loads_once_and_reports_load_time_and_memory()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var sw = Stopwatch.StartNew();
        var table = RegionTable.Load();
        var regions = sw.Elapsed;
        var villages = table.Count(RegionLevel.Village);
        var total = sw.Elapsed;
        GC.KeepAlive(table);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"region table: levels 1-3 {regions.TotalMilliseconds:F0} ms, with {villages} villages {total.TotalMilliseconds:F0} ms, retained {(after - before) / 1024.0 / 1024.0:F1} MiB");
        Assert.Same(RegionTable.Shared, RegionTable.Shared);
        Assert.Equal(83_762, villages);
    }

    [Fact]
    public void Shared_table_is_safe_to_use_from_many_threads()
    {
        var codes = new System.Collections.Concurrent.ConcurrentBag<string?>();
        Parallel.For(0, 16, _ => codes.Add(RegionTable.Shared.FindByName(RegionLevel.Village, "PASAK PIANG", "611203")?.Item.Code));
        Assert.All(codes, c => Assert.Equal("6112032012", c));
    }
}
