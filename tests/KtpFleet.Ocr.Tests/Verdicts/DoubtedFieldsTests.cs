using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

public sealed class DoubtedFieldsTests
{
    private static Dictionary<string, RawField> Card(string birthDate) => new()
    {
        [KtpField.Provinsi] = new("PROVINSI JAWA TENGAH", 96),
        [KtpField.KabupatenKota] = new("KABUPATEN CILACAP", 96),
        [KtpField.Nik] = new("3301012601700003", 99),
        [KtpField.Nama] = new("BUDI SANTOSO", 96),
        [KtpField.TempatLahir] = new($"CILACAP, {birthDate}", 99),
        [KtpField.JenisKelamin] = new("LAKI-LAKI", 97),
        [KtpField.Kecamatan] = new("KEDUNGREJA", 96),
    };

    [Fact]
    public void A_failed_nik_check_takes_both_fields_below_any_auto_accept_threshold()
    {
        // The NIK says 26-01-1970; the printed date was read 28-01-1970 (a 6 read as 8) at OCR confidence 99.
        var verified = KtpVerifier.Shared.Verify(Card("28-01-1970"));
        Assert.Equal(CheckStatus.Failed, verified.Checks.Single(c => c.Name == CheckNames.NikBirthDateMatches).Status);
        Assert.Equal(KtpVerifier.DoubtedConfidence, verified.Fields[KtpField.TanggalLahir].Confidence);
        Assert.Equal(KtpVerifier.DoubtedConfidence, verified.Fields[KtpField.Nik].Confidence);
        Assert.True(verified.Fields[KtpField.Nama].Confidence > KtpVerifier.DoubtedConfidence, "fields outside the check keep theirs");
    }

    [Fact]
    public void Consistent_fields_keep_their_calibrated_confidence()
    {
        var verified = KtpVerifier.Shared.Verify(Card("26-01-1970"));
        Assert.Equal(CheckStatus.Passed, verified.Checks.Single(c => c.Name == CheckNames.NikBirthDateMatches).Status);
        Assert.True(verified.Fields[KtpField.TanggalLahir].Confidence >= VerdictPolicy.Default.AutoAcceptConfidence);
    }

    [Fact]
    public void Every_check_names_the_fields_it_compares()
    {
        Assert.All(CheckNames.All, name => Assert.True(CheckNames.Fields.ContainsKey(name), name));
        Assert.All(CheckNames.Fields.Values.SelectMany(f => f), field => Assert.Contains(field, KtpField.All));
    }
}
