using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.Parsing;

namespace KtpFleet.Ocr.Tests.Checks;

public class CrossCheckTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);
    private static readonly KtpCrossChecks Checks = KtpCrossChecks.Shared;

    /// <summary>A consistent card: a woman born 12-08-1990 in Kedungreja, Cilacap.</summary>
    private static Dictionary<string, string?> Consistent() => new()
    {
        [KtpField.Nik] = "3301015208900001",
        [KtpField.Provinsi] = "JAWA TENGAH",
        [KtpField.KabupatenKota] = "KABUPATEN CILACAP",
        [KtpField.Kecamatan] = "KEDUNGREJA",
        [KtpField.TanggalLahir] = "12-08-1990",
        [KtpField.JenisKelamin] = "PEREMPUAN",
        [KtpField.StatusPerkawinan] = "BELUM KAWIN",
        [KtpField.BerlakuHingga] = "SEUMUR HIDUP",
        [KtpField.TanggalTerbit] = "20-10-2015",
    };

    private static CheckResult Check(Dictionary<string, string?> values, string name) =>
        Checks.Run(values, Today).Single(c => c.Name == name);

    [Fact]
    public void A_consistent_card_passes_everything() =>
        Assert.All(Checks.Run(Consistent(), Today), c => Assert.Equal((c.Name, CheckStatus.Passed), (c.Name, c.Status)));

    [Fact]
    public void Missing_inputs_skip_with_a_reason()
    {
        var results = Checks.Run(new Dictionary<string, string?>(), Today);
        Assert.All(results, c =>
        {
            Assert.Equal(CheckStatus.Skipped, c.Status);
            Assert.False(string.IsNullOrWhiteSpace(c.Detail));
        });
    }

    [Theory]
    [InlineData("330101520890001", "not 16 digits")]
    [InlineData("3301019908900001", "date part")]
    [InlineData("3301013513900001", "date part")]
    [InlineData("3301010013900001", "date part")]
    public void Nik_format(string nik, string detail)
    {
        var values = Consistent();
        values[KtpField.Nik] = nik;
        var c = Check(values, CheckNames.NikFormat);
        Assert.Equal(CheckStatus.Failed, c.Status);
        Assert.Contains(detail, c.Detail);
    }

    [Fact]
    public void Sex_mismatch_fails()
    {
        var values = Consistent();
        values[KtpField.JenisKelamin] = "LAKI-LAKI";
        Assert.Equal(CheckStatus.Failed, Check(values, CheckNames.NikSexMatches).Status);
        // The NIK still encodes day 52 = 12 + 40: the date check is independent of the printed sex.
        Assert.Equal(CheckStatus.Passed, Check(values, CheckNames.NikBirthDateMatches).Status);
        values[KtpField.JenisKelamin] = "FEMALE";
        Assert.Equal(CheckStatus.Passed, Check(values, CheckNames.NikSexMatches).Status);
    }

    [Theory]
    [InlineData(KtpField.Provinsi, "JAWA BARAT", CheckNames.NikProvinceMatches, CheckStatus.Failed)]
    [InlineData(KtpField.Provinsi, "JAWA TENGAII", CheckNames.NikProvinceMatches, CheckStatus.Passed)]
    [InlineData(KtpField.KabupatenKota, "KOTA CILACAP", CheckNames.NikRegencyMatches, CheckStatus.Failed)]
    [InlineData(KtpField.KabupatenKota, "CILACAP", CheckNames.NikRegencyMatches, CheckStatus.Passed)]
    [InlineData(KtpField.KabupatenKota, "KABUPATEN BANYUMAS", CheckNames.NikRegencyMatches, CheckStatus.Failed)]
    [InlineData(KtpField.Kecamatan, "KROYA", CheckNames.NikDistrictMatches, CheckStatus.Failed)]
    public void Printed_region_names_against_the_nik(string field, string printed, string check, CheckStatus status)
    {
        var values = Consistent();
        values[field] = printed;
        Assert.Equal(status, Check(values, check).Status);
    }

    [Theory]
    [InlineData("KABUPATEN INTAN JAYA", CheckStatus.Passed)]
    [InlineData("INTAN JAYA", CheckStatus.Passed)]
    [InlineData("KABUPATEN PUNCAK JAYA", CheckStatus.Failed)]
    [InlineData("KOTA INTAN JAYA", CheckStatus.Failed)]
    public void Regency_names_are_compared_without_their_shared_prefix(string printed, CheckStatus status)
    {
        // 9407 is Kabupaten Intan Jaya; with the prefix counted, PUNCAK JAYA would be within snapping distance.
        var values = new Dictionary<string, string?> { [KtpField.Nik] = "9407011203900001", [KtpField.KabupatenKota] = printed };
        Assert.Equal(status, Check(values, CheckNames.NikRegencyMatches).Status);
    }

    [Theory]
    [InlineData("12-08-2030", "BELUM KAWIN", "20-10-2015", CheckStatus.Failed)]
    [InlineData("12-08-1890", "BELUM KAWIN", null, CheckStatus.Failed)]
    [InlineData("12-08-2000", "BELUM KAWIN", "20-10-2015", CheckStatus.Failed)]
    [InlineData("12-08-2000", "KAWIN", "20-10-2015", CheckStatus.Passed)]
    [InlineData("12-08-1998", "BELUM KAWIN", "20-10-2015", CheckStatus.Passed)]
    [InlineData("31-02-1990", "BELUM KAWIN", null, CheckStatus.Failed)]
    public void Birth_date_plausible(string birth, string marital, string? issue, CheckStatus status)
    {
        var values = Consistent();
        values[KtpField.TanggalLahir] = birth;
        values[KtpField.StatusPerkawinan] = marital;
        values[KtpField.TanggalTerbit] = issue;
        Assert.Equal(status, Check(values, CheckNames.BirthDatePlausible).Status);
    }

    [Theory]
    [InlineData("20-10-2015", CheckStatus.Passed)]
    [InlineData("20-10-2027", CheckStatus.Failed)]
    [InlineData("20-10-2005", CheckStatus.Failed)]
    [InlineData("2O-1O-2015", CheckStatus.Failed)]
    public void Issue_date_plausible(string issue, CheckStatus status)
    {
        var values = Consistent();
        values[KtpField.TanggalTerbit] = issue;
        Assert.Equal(status, Check(values, CheckNames.IssueDatePlausible).Status);
    }

    [Theory]
    [InlineData("SEUMUR HIDUP", CheckStatus.Passed)]
    [InlineData("12-08-2020", CheckStatus.Passed)]
    [InlineData("12-08-2015", CheckStatus.Failed)]
    [InlineData("12-08-2025", CheckStatus.Failed)]
    [InlineData("SELAMANYA", CheckStatus.Failed)]
    public void Validity_plausible(string validity, CheckStatus status)
    {
        var values = Consistent();
        values[KtpField.BerlakuHingga] = validity;
        Assert.Equal(status, Check(values, CheckNames.ValidityPlausible).Status);
    }

    [Fact]
    public void Printed_values_are_never_repaired()
    {
        var values = Consistent();
        values[KtpField.TanggalLahir] = "13-08-1990";
        var before = new Dictionary<string, string?>(values);
        Assert.Equal(CheckStatus.Failed, Check(values, CheckNames.NikBirthDateMatches).Status);
        Assert.Equal(before, values);
    }

    [Fact]
    public void A_nik_built_from_a_real_district_and_the_printed_date_passes_its_checks()
    {
        var districts = RegionTable.Shared.Within(RegionLevel.District, null).Where(d => d.InEdition(2025)).ToArray();
        var gen =
            from district in Gen.Elements(districts)
            from age in Gen.Choose(18 * 365, 90 * 365)
            from female in Gen.Elements(true, false)
            from serial in Gen.Choose(1, 9999)
            select (district, Birth: Today.AddDays(-age), female, serial);
        PropertyCheck.Holds(gen, p =>
        {
            var day = p.Birth.Day + (p.female ? 40 : 0);
            var nik = $"{p.district.Code}{day:00}{p.Birth.Month:00}{p.Birth.Year % 100:00}{p.serial:0000}";
            var regency = RegionTable.Shared.Find(p.district.Code[..4])!;
            var province = RegionTable.Shared.Find(p.district.Code[..2])!;
            var values = new Dictionary<string, string?>
            {
                [KtpField.Nik] = KtpFleet.Ocr.Parsing.NikParser.Parse(nik).Value,
                [KtpField.TanggalLahir] = p.Birth.ToString("dd-MM-yyyy"),
                [KtpField.JenisKelamin] = p.female ? "PEREMPUAN" : "LAKI-LAKI",
                [KtpField.Provinsi] = province.PrintedName,
                [KtpField.KabupatenKota] = regency.PrintedName,
                [KtpField.Kecamatan] = p.district.PrintedName,
            };
            var results = Checks.Run(values, Today).ToDictionary(c => c.Name, c => c.Status);
            return values[KtpField.Nik] == nik
                && results[CheckNames.NikFormat] == CheckStatus.Passed
                && results[CheckNames.NikRegionExists] == CheckStatus.Passed
                && results[CheckNames.NikBirthDateMatches] == CheckStatus.Passed
                && results[CheckNames.NikSexMatches] == CheckStatus.Passed
                && results[CheckNames.NikProvinceMatches] == CheckStatus.Passed
                && results[CheckNames.NikRegencyMatches] == CheckStatus.Passed
                && results[CheckNames.NikDistrictMatches] == CheckStatus.Passed
                && results[CheckNames.BirthDatePlausible] == CheckStatus.Passed;
        }, 300);
    }

    [Fact]
    public void A_nik_whose_date_part_differs_fails_the_date_check()
    {
        var gen =
            from age in Gen.Choose(17 * 365, 90 * 365)
            from shift in Gen.Choose(1, 364)
            select (Birth: Today.AddDays(-age), Printed: Today.AddDays(-age + shift));
        PropertyCheck.Holds(gen, p =>
        {
            var nik = $"330101{p.Birth.Day:00}{p.Birth.Month:00}{p.Birth.Year % 100:00}0001";
            var values = new Dictionary<string, string?>
            {
                [KtpField.Nik] = nik,
                [KtpField.TanggalLahir] = p.Printed.ToString("dd-MM-yyyy"),
            };
            return Checks.Run(values, Today).Single(c => c.Name == CheckNames.NikBirthDateMatches).Status == CheckStatus.Failed;
        });
    }

    [Fact]
    public void Arbitrary_values_never_throw_and_always_give_every_check()
    {
        var text = Gen.Elements("0123456789ABKLMNOSZ -/:".ToCharArray()).ArrayOf().Select(cs => (string?)new string(cs));
        var values =
            from nik in Gen.OneOf(text, Gen.Choose(0, 9).ArrayOf(16).Select(d => (string?)string.Concat(d)))
            from other in text.ArrayOf(KtpField.All.Count)
            select KtpField.All.Zip(other).ToDictionary(p => p.First, p => p.First == KtpField.Nik ? nik : p.Second);
        PropertyCheck.Holds(values, v =>
        {
            var results = Checks.Run(v, Today);
            return results.Select(r => r.Name).SequenceEqual(CheckNames.All)
                && results.All(r => r.Status == CheckStatus.Passed || !string.IsNullOrEmpty(r.Detail))
                && results.All(r => v[KtpField.Nik] is not { Length: 16 } nik || r.Detail is null || !r.Detail.Contains(nik[6..]));
        });
    }

    [Fact]
    public void Nik_mask_keeps_only_the_region()
    {
        Assert.Equal("330101**********", NikMask.Mask("3301015208900001"));
        Assert.Equal("330101**********", new Nik("3301015208900001").ToString());
    }
}
