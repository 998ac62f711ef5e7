using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class SecondOpinionTests
{
    [Fact]
    public void Only_values_tesseract_read_in_doubt_or_not_at_all_are_asked_again()
    {
        var raw = new Dictionary<string, RawField>(StringComparer.Ordinal)
        {
            [KtpField.Nama] = new("SUHARTO SUSKO", 62),
            [KtpField.Alamat] = new("JL. MAWAR NO. 3", SecondOpinion.AskBelow - 0.1),
            [KtpField.Agama] = new("ISLAM", SecondOpinion.AskBelow),          // a decisive shape reading starts here
            [KtpField.Pekerjaan] = new(null),                                 // nothing read
            [KtpField.Nik] = new("3201010101900001", 20),                     // glyph-matched: never Tesseract's
            [KtpField.GolonganDarah] = new("B", 10),
        };
        var asked = SecondOpinion.FieldsToAsk(raw);
        Assert.Equal(new[] { KtpField.Alamat, KtpField.Nama, KtpField.Pekerjaan }, asked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_value_keeps_the_reading_its_model_was_more_confident_of()
    {
        var first = new Dictionary<string, RawField>(StringComparer.Ordinal)
        {
            [KtpField.Nama] = new("SUMARTO SUSKO", 41),
            [KtpField.Alamat] = new("JL. MAWAR NO. 3", 85),
            [KtpField.Pekerjaan] = new(null),
            [KtpField.Agama] = new("ISLAM", 99),
        };
        var second = new Dictionary<string, RawField>(StringComparer.Ordinal)
        {
            [KtpField.Nama] = new("SUHARTO SUSILO", 88),
            [KtpField.Alamat] = new("JL. MAWAR NO. 8", 70),
            [KtpField.Pekerjaan] = new("PELAJAR/MAHASISWA", 91),
        };
        var merged = SecondOpinion.Merge(first, second);
        Assert.Equal("SUHARTO SUSILO", merged[KtpField.Nama].Text);
        Assert.Equal("JL. MAWAR NO. 3", merged[KtpField.Alamat].Text);
        Assert.Equal("PELAJAR/MAHASISWA", merged[KtpField.Pekerjaan].Text);
        Assert.Equal("ISLAM", merged[KtpField.Agama].Text);
        Assert.Equal("SUMARTO SUSKO", first[KtpField.Nama].Text);   // the first reading is not modified
    }

    [Fact]
    public void A_second_reading_of_nothing_never_replaces_a_reading()
    {
        var first = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.Nama] = new("SUHARTO", 30) };
        var second = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.Nama] = new(null, 95) };
        Assert.Equal("SUHARTO", SecondOpinion.Merge(first, second)[KtpField.Nama].Text);
    }
}
