using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Tests.Checks;

public sealed class NikCorroborationTests
{
    private static readonly string[] NikChecks =
    [
        CheckNames.NikProvinceMatches, CheckNames.NikRegencyMatches, CheckNames.NikDistrictMatches,
        CheckNames.NikBirthDateMatches, CheckNames.NikSexMatches,
    ];

    private static List<CheckResult> Checks(params (string Name, CheckStatus Status)[] overrides) =>
        NikChecks.Select(n => new CheckResult(n, overrides.FirstOrDefault(o => o.Name == n) is { Name: not null } o ? o.Status : CheckStatus.Passed)).ToList();

    private static string Pattern(bool[] vouched) => string.Concat(vouched.Select(v => v ? 'v' : '.'));

    [Fact]
    public void Passed_checks_vouch_for_the_region_code_and_the_birth_date_but_never_the_serial() =>
        Assert.Equal("vvvvvvvvvvvv....", Pattern(NikCorroboration.Vouched(Checks())));

    [Fact]
    public void A_region_level_is_vouched_for_only_under_its_parent() =>
        // The regency name did not match: the district name matching says nothing about digits 3-6 then.
        Assert.Equal("vv....vvvvvv....", Pattern(NikCorroboration.Vouched(Checks((CheckNames.NikRegencyMatches, CheckStatus.Failed)))));

    [Fact]
    public void The_birth_date_needs_the_sex_too() =>
        // The day's tens digit carries the sex: with the printed sex unread, the date digits rest on their glyphs.
        Assert.Equal("vvvvvv..........", Pattern(NikCorroboration.Vouched(Checks((CheckNames.NikSexMatches, CheckStatus.Skipped)))));

    [Fact]
    public void The_confidence_is_the_weakest_digit_left_unvouched()
    {
        var digits = Enumerable.Repeat(100.0, 16).ToArray();
        digits[3] = 20;
        digits[14] = 70;
        Assert.Equal(70, NikCorroboration.OcrConfidence("3301015208900001", 20, digits, Checks()));
        Assert.Equal(20, NikCorroboration.OcrConfidence("3301015208900001", 20, digits, Checks((CheckNames.NikDistrictMatches, CheckStatus.Failed), (CheckNames.NikRegencyMatches, CheckStatus.Skipped))));
    }

    [Fact]
    public void Without_per_digit_scores_the_readings_own_confidence_stands()
    {
        Assert.Equal(55, NikCorroboration.OcrConfidence("3301015208900001", 55, null, Checks()));
        // Digits that do not line up with a 16-digit NIK (a reading the parser changed) vouch for nothing either.
        Assert.Equal(55, NikCorroboration.OcrConfidence("33010152089000", 55, Enumerable.Repeat(100.0, 16).ToArray(), Checks()));
    }
}
