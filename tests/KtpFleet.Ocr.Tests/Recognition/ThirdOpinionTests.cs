using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class ThirdOpinionTests
{
    private static Dictionary<string, RawField> Readings(params (string Field, string? Text, double Confidence)[] readings) =>
        readings.ToDictionary(r => r.Field, r => new RawField(r.Text, r.Confidence), StringComparer.Ordinal);

    [Fact]
    public void Agreeing_with_either_reading_keeps_that_reading_and_its_models_confidence()
    {
        var first = Readings((KtpField.Nama, "SUHARTO SUSILO", 61), (KtpField.Alamat, "JL. MAWAR NO. 8", 70));
        var second = Readings((KtpField.Nama, "SUHARTO SUSLO", 80), (KtpField.Alamat, "JL. MAWAR NO. 3", 66));
        var merged = SecondOpinion.Merge(first, second);
        Assert.Equal("SUHARTO SUSLO", merged[KtpField.Nama].Text);     // the more confident, wrongly
        Assert.Equal("JL. MAWAR NO. 8", merged[KtpField.Alamat].Text);

        var third = Readings((KtpField.Nama, "SUHARTO SUSILO", 97), (KtpField.Alamat, "JL. MAWAR NO. 3", 95));
        var settled = ThirdOpinion.Settle(first, second, merged, third);
        Assert.Equal(first[KtpField.Nama], settled[KtpField.Nama]);
        Assert.Equal(second[KtpField.Alamat], settled[KtpField.Alamat]);
    }

    [Fact]
    public void Alone_against_two_different_readings_it_is_taken_but_never_confident()
    {
        var first = Readings((KtpField.Nama, "SUHARTO SUSKO", 61));
        var second = Readings((KtpField.Nama, "SUHARTO SUSLO", 80));
        var third = Readings((KtpField.Nama, "SUHARTO SUSILO", 96));
        var settled = ThirdOpinion.Settle(first, second, SecondOpinion.Merge(first, second), third);
        Assert.Equal("SUHARTO SUSILO", settled[KtpField.Nama].Text);
        Assert.Equal(ThirdOpinion.AloneConfidence, settled[KtpField.Nama].MeanWordConfidence);
        // Even a value that parses as it was read is then under the auto-accept bar.
        Assert.True(ConfidenceCalibration.Default.Probability(ConfidenceClass.Verified, ThirdOpinion.AloneConfidence)
            < VerdictPolicy.Default.AutoAcceptConfidence);
    }

    [Fact]
    public void It_never_overrules_the_two_stock_models_agreeing_nor_fills_what_it_could_not_read()
    {
        var first = Readings((KtpField.Nama, "SUHARTO SUSLO", 61), (KtpField.Alamat, "JL. MAWAR", 50));
        var second = Readings((KtpField.Nama, "SUHARTO SUSLO", 70), (KtpField.Alamat, "JL. MELATI", 40));
        var merged = SecondOpinion.Merge(first, second);
        var third = Readings((KtpField.Nama, "SUHARTO SUSILO", 99), (KtpField.Alamat, null, 0));
        var settled = ThirdOpinion.Settle(first, second, merged, third);
        Assert.Equal(merged[KtpField.Nama], settled[KtpField.Nama]);
        Assert.Equal(merged[KtpField.Alamat], settled[KtpField.Alamat]);
    }
}
