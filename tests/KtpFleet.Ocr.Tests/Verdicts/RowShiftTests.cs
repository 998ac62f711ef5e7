using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.Checks;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

public sealed class RowShiftTests
{
    private static Dictionary<string, RawField> Raw(Dictionary<string, string?> texts) =>
        texts.ToDictionary(kv => kv.Key, kv => new RawField(kv.Value, 99, new Box(0, 0, 10, 10)));

    /// <summary>The abdurrahman specimen's values, some moved as a layout two rows off moves them.</summary>
    private static Dictionary<string, string?> Moved(params (string Field, string From)[] moves)
    {
        var truth = Specimens.GroundTruth(Specimens.Abdurrahman);
        var moved = new Dictionary<string, string?>(truth);
        foreach (var (field, from) in moves) moved[field] = truth[from];
        return moved;
    }

    [Fact]
    public void Values_of_other_fields_vocabularies_in_two_rows_doubt_every_label_row()
    {
        var sharp = KtpVerifier.Shared.Verify(Raw(Moved()));
        Assert.True(sharp.Fields[KtpField.Kecamatan].Confidence > KtpVerifier.DoubtedConfidence);

        var shifted = KtpVerifier.Shared.Verify(Raw(Moved((KtpField.Nama, KtpField.JenisKelamin), (KtpField.KelDesa, KtpField.Agama))));
        Assert.All(new[] { KtpField.Nama, KtpField.KelDesa, KtpField.Kecamatan, KtpField.Agama, KtpField.Pekerjaan },
            f => Assert.True(shifted.Fields[f].Confidence <= KtpVerifier.DoubtedConfidence, $"{f} at {shifted.Fields[f].Confidence}"));
        Assert.Equal(sharp.Fields[KtpField.Provinsi].Confidence, shifted.Fields[KtpField.Provinsi].Confidence); // the header is no label row
    }

    [Fact]
    public void One_such_value_is_a_misreading_not_a_shift()
    {
        var sharp = KtpVerifier.Shared.Verify(Raw(Moved()));
        var one = KtpVerifier.Shared.Verify(Raw(Moved((KtpField.KelDesa, KtpField.Agama))));
        Assert.Equal(sharp.Fields[KtpField.Kecamatan].Confidence, one.Fields[KtpField.Kecamatan].Confidence);
        Assert.Equal(1, RowShift.ForeignValues(one.Fields));
    }
}
