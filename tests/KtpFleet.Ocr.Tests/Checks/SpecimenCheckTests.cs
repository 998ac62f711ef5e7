using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Tests.Checks;

/// <summary>The specimens are deliberately inconsistent; the checks must report exactly those inconsistencies.</summary>
public class SpecimenCheckTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Dictionary<string, CheckResult> Run(string specimen)
    {
        var values = KtpFieldParser.Shared.Parse(Specimens.GroundTruth(specimen)).Values;
        var results = KtpCrossChecks.Shared.Run(values, Today);
        Assert.Equal(CheckNames.All, results.Select(r => r.Name));
        return results.ToDictionary(r => r.Name);
    }

    [Fact]
    public void Setiawan_nik_date_and_region_contradict_the_printed_card()
    {
        var r = Run(Specimens.Setiawan);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikFormat].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikRegionExists].Status);
        Assert.Equal(CheckStatus.Failed, r[CheckNames.NikBirthDateMatches].Status);
        Assert.Equal("NIK date part differs from printed birth date (day, year)", r[CheckNames.NikBirthDateMatches].Detail);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikSexMatches].Status);
        Assert.Equal(CheckStatus.Failed, r[CheckNames.NikProvinceMatches].Status);
        Assert.Contains("KALIMANTAN BARAT", r[CheckNames.NikProvinceMatches].Detail);
        Assert.Equal(CheckStatus.Failed, r[CheckNames.NikRegencyMatches].Status);
        Assert.Contains("KUBU RAYA", r[CheckNames.NikRegencyMatches].Detail);
        // The printed kecamatan (SUNGAI AMBAWANG) is the NIK's district 611203, in Kubu Raya, not in Cilacap.
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikDistrictMatches].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.BirthDatePlausible].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.IssueDatePlausible].Status);
        // Printed validity 21-11-2024 is more than ten years after the 18-02-2014 issue: fixed-term cards ran five.
        Assert.Equal(CheckStatus.Failed, r[CheckNames.ValidityPlausible].Status);
    }

    [Fact]
    public void Abdurrahman_region_code_does_not_exist()
    {
        var r = Run(Specimens.Abdurrahman);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikFormat].Status);
        Assert.Equal(CheckStatus.Failed, r[CheckNames.NikRegionExists].Status);
        Assert.Contains("3121", r[CheckNames.NikRegionExists].Detail);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikBirthDateMatches].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.NikSexMatches].Status);
        // Province 31 (DKI Jakarta) exists but the card prints JAWA TENGAH; regency/district codes are unknown.
        Assert.Equal(CheckStatus.Failed, r[CheckNames.NikProvinceMatches].Status);
        Assert.Equal(CheckStatus.Skipped, r[CheckNames.NikRegencyMatches].Status);
        Assert.Equal(CheckStatus.Skipped, r[CheckNames.NikDistrictMatches].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.BirthDatePlausible].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.IssueDatePlausible].Status);
        Assert.Equal(CheckStatus.Passed, r[CheckNames.ValidityPlausible].Status);
    }

    [Theory]
    [InlineData(Specimens.Setiawan)]
    [InlineData(Specimens.Abdurrahman)]
    public void Details_carry_no_pii(string specimen)
    {
        var truth = Specimens.GroundTruth(specimen);
        var details = string.Join("\n", Run(specimen).Values.Select(r => r.Detail));
        Assert.DoesNotContain(truth[KtpField.Nik]!, details);
        Assert.DoesNotContain(truth[KtpField.Nik]![6..12], details);
        Assert.DoesNotContain(truth[KtpField.Nama]!, details);
        Assert.DoesNotContain(truth[KtpField.Alamat]!, details);
        Assert.DoesNotContain(truth[KtpField.TanggalLahir]!, details);
    }
}
