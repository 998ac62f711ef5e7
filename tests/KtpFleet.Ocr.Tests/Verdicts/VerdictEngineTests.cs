using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

public class VerdictEngineTests
{
    private static Dictionary<string, FieldResult> AllConfident() =>
        KtpField.All.ToDictionary(f => f, f => new FieldResult(f == KtpField.Nik ? "3301015208900001" : "X", 0.97, "X", null));

    private static readonly CheckResult[] AllPassed = CheckNames.All.Select(n => new CheckResult(n, CheckStatus.Passed)).ToArray();

    [Fact]
    public void Accepts_a_confident_consistent_card()
    {
        var v = VerdictEngine.Decide(AllConfident(), AllPassed);
        Assert.Equal(Verdict.Accepted, v.Decision);
        Assert.Empty(v.Reasons);
    }

    [Fact]
    public void Low_confidence_and_missing_required_fields_need_review()
    {
        var fields = AllConfident();
        fields[KtpField.Nama] = fields[KtpField.Nama] with { Confidence = 0.5 };
        fields[KtpField.Alamat] = new FieldResult(null, 0, null, null);
        var v = VerdictEngine.Decide(fields, AllPassed);
        Assert.Equal(Verdict.NeedsReview, v.Decision);
        Assert.Equal(["low_confidence:nama", "missing:alamat"], v.Reasons);
    }

    [Fact]
    public void Per_field_thresholds_and_required_fields_come_from_the_policy()
    {
        var fields = AllConfident();
        fields[KtpField.Nama] = fields[KtpField.Nama] with { Confidence = 0.8 };
        fields[KtpField.GolonganDarah] = new FieldResult(null, 0, null, null);
        var policy = new VerdictPolicy
        {
            FieldConfidence = new Dictionary<string, double> { [KtpField.Nama] = 0.75 },
            RequiredFields = KtpField.All.Where(f => f != KtpField.GolonganDarah).ToArray(),
        };
        Assert.Equal(Verdict.Accepted, VerdictEngine.Decide(fields, AllPassed, policy).Decision);
        Assert.Equal(Verdict.NeedsReview, VerdictEngine.Decide(fields, AllPassed).Decision);
    }

    [Fact]
    public void Failed_checks_force_review_only_when_the_policy_says_so()
    {
        var checks = AllPassed.Select(c => c.Name == CheckNames.NikBirthDateMatches ? c with { Status = CheckStatus.Failed } : c).ToArray();
        var v = VerdictEngine.Decide(AllConfident(), checks);
        Assert.Equal(Verdict.NeedsReview, v.Decision);
        Assert.Equal(["check_failed:nik_birth_date_matches"], v.Reasons);
        var lenient = new VerdictPolicy { FailedCheckForcesReview = false };
        Assert.Equal(Verdict.Accepted, VerdictEngine.Decide(AllConfident(), checks, lenient).Decision);
        var skipped = AllPassed.Select(c => c with { Status = CheckStatus.Skipped }).ToArray();
        Assert.Equal(Verdict.Accepted, VerdictEngine.Decide(AllConfident(), skipped).Decision);
    }

    [Fact]
    public void No_nik_and_almost_nothing_read_is_not_a_card()
    {
        var fields = KtpField.All.ToDictionary(f => f, _ => new FieldResult(null, 0, null, null));
        fields[KtpField.Nama] = new FieldResult("LOREM IPSUM", 0.4, "lorem ipsum", null);
        fields[KtpField.Alamat] = new FieldResult("DOLOR", 0.3, "dolor", null);
        var v = VerdictEngine.Decide(fields, []);
        Assert.Equal(Verdict.Rejected, v.Decision);
        Assert.Equal([VerdictEngine.NotACard], v.Reasons);
    }

    [Fact]
    public void A_valid_nik_alone_is_enough_to_be_reviewed_rather_than_rejected()
    {
        var fields = KtpField.All.ToDictionary(f => f, _ => new FieldResult(null, 0, null, null));
        fields[KtpField.Nik] = new FieldResult("3301015208900001", 0.9, null, null);
        Assert.Equal(Verdict.NeedsReview, VerdictEngine.Decide(fields, []).Decision);
    }

    [Fact]
    public void Many_fields_without_a_nik_are_reviewed()
    {
        var fields = AllConfident();
        fields[KtpField.Nik] = new FieldResult(null, 0, null, null);
        var v = VerdictEngine.Decide(fields, AllPassed);
        Assert.Equal(Verdict.NeedsReview, v.Decision);
        Assert.Equal(["missing:nik"], v.Reasons);
    }
}
