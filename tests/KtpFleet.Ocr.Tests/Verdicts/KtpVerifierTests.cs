using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.Checks;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

public class KtpVerifierTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly KtpVerifier Verifier = new(
        KtpFieldParser.Shared, KtpCrossChecks.Shared, ConfidenceCalibration.Default, new FixedTime(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));

    private static Dictionary<string, RawField> Raw(Dictionary<string, string?> texts, double confidence) =>
        texts.ToDictionary(kv => kv.Key, kv => new RawField(kv.Value, confidence, new Box(0, 0, 10, 10)));

    [Fact]
    public void Specimen_with_contradicting_nik_goes_to_review_with_the_failed_checks()
    {
        var card = Verifier.Verify(Raw(Specimens.GroundTruth(Specimens.Setiawan), 96));
        Assert.Equal(Verdict.NeedsReview, card.Verdict.Decision);
        Assert.Contains("check_failed:nik_birth_date_matches", card.Verdict.Reasons);
        Assert.Contains("check_failed:nik_province_matches", card.Verdict.Reasons);
        Assert.Contains("check_failed:nik_regency_matches", card.Verdict.Reasons);
        Assert.Equal("JAWA TENGAH", card.Fields[KtpField.Provinsi].Value);
        Assert.Equal("12-06-1974", card.Fields[KtpField.TanggalLahir].Value);
        Assert.Equal(KtpField.All.Order(), card.Fields.Keys.Order());
    }

    [Fact]
    public void Abdurrahman_fails_region_existence()
    {
        var card = Verifier.Verify(Raw(Specimens.GroundTruth(Specimens.Abdurrahman), 96));
        Assert.Contains("check_failed:nik_region_exists", card.Verdict.Reasons);
        Assert.Equal("002/005", card.Fields[KtpField.RtRw].Value);
        Assert.Equal("02/05", card.Fields[KtpField.RtRw].Raw);
    }

    private static Dictionary<string, string?> ConsistentCard => new()
    {
        [KtpField.Provinsi] = "PROVINSI JAWA TENGAH",
        [KtpField.KabupatenKota] = "KABUPATEN CILACAP",
        [KtpField.Nik] = "3301015208900001",
        [KtpField.Nama] = "SRI WAHYUNI",
        [KtpField.TempatLahir] = "CILACAP, 12-08-1990",
        [KtpField.JenisKelamin] = "PEREMPUAN Gol. Darah : A",
        [KtpField.Alamat] = "JL. MERDEKA NO. 5",
        [KtpField.RtRw] = "001/002",
        [KtpField.KelDesa] = "KEDUNGREJA",
        [KtpField.Kecamatan] = "KEDUNGREJA",
        [KtpField.Agama] = "ISLAM",
        [KtpField.StatusPerkawinan] = "BELUM KAWIN",
        [KtpField.Pekerjaan] = "PELAJAR/MAHASISWA",
        [KtpField.Kewarganegaraan] = "WNI",
        [KtpField.BerlakuHingga] = "SEUMUR HIDUP",
        [KtpField.TempatTerbit] = "CILACAP",
        [KtpField.TanggalTerbit] = "20-10-2015",
    };

    [Fact]
    public void A_consistent_confidently_read_card_is_accepted()
    {
        var texts = ConsistentCard;
        var card = Verifier.Verify(Raw(texts, 97));
        Assert.Equal(Verdict.Accepted, card.Verdict.Decision);
        Assert.All(card.Checks, c => Assert.Equal((c.Name, CheckStatus.Passed), (c.Name, c.Status)));
        // Split fields inherit the line's OCR confidence and box.
        Assert.Equal("12-08-1990", card.Fields[KtpField.TanggalLahir].Value);
        Assert.Equal(new Box(0, 0, 10, 10), card.Fields[KtpField.TanggalLahir].Box);
        Assert.Equal("A", card.Fields[KtpField.GolonganDarah].Value);
        Assert.True(card.Fields[KtpField.GolonganDarah].Confidence >= 0.9);
        Assert.Equal("3301", card.Regions.Regency?.Code);

        // The same card read with low OCR confidence is routed to review, field by field.
        var unsure = Verifier.Verify(Raw(texts, 55));
        Assert.Equal(Verdict.NeedsReview, unsure.Verdict.Decision);
        Assert.Contains("low_confidence:nik", unsure.Verdict.Reasons);
    }

    [Fact]
    public void A_weak_nik_glyph_the_printed_values_vouch_for_does_not_decide_the_niks_confidence()
    {
        static double[] WeakAt(int digit) => Enumerable.Range(0, 16).Select(i => i == digit ? 30.0 : 100.0).ToArray();
        double NikConfidence(Dictionary<string, string?> texts, int weakDigit)
        {
            var raw = Raw(texts, 97);
            raw[KtpField.Nik] = raw[KtpField.Nik] with { MeanWordConfidence = 30, CharConfidences = WeakAt(weakDigit) };
            return Verifier.Verify(raw).Fields[KtpField.Nik].Confidence;
        }

        // District code and birth date: the printed names and date vouch for them.
        Assert.True(NikConfidence(ConsistentCard, 4) >= 0.95);
        Assert.True(NikConfidence(ConsistentCard, 9) >= 0.95);
        // The serial: nothing printed does.
        Assert.True(NikConfidence(ConsistentCard, 13) < 0.95);
        // A check that could not run vouches for nothing: without the printed district, its two digits rest on their glyphs.
        var noDistrict = ConsistentCard;
        noDistrict[KtpField.Kecamatan] = null;
        Assert.True(NikConfidence(noDistrict, 4) < 0.95);
        Assert.True(NikConfidence(noDistrict, 2) >= 0.95);
        // Nor does a check that failed (and the NIK is then doubted whatever its glyphs).
        var otherDate = ConsistentCard;
        otherDate[KtpField.TempatLahir] = "CILACAP, 13-08-1990";
        Assert.True(NikConfidence(otherDate, 4) <= KtpVerifier.DoubtedConfidence);
    }

    [Theory]
    [InlineData("06-06-2072")] // a blurred 2 read as 7
    [InlineData("27-05-2003")] // before the first e-KTP
    public void An_issue_date_no_card_can_carry_is_no_reading_but_stays_as_read_with_its_check_failed(string issued)
    {
        var raw = Raw(ConsistentCard, 97);
        raw[KtpField.TanggalTerbit] = new RawField(issued, 97);
        var card = Verifier.Verify(raw);
        Assert.Equal(ConfidenceClass.Invalid, card.Evidence[KtpField.TanggalTerbit].Class);
        Assert.Equal(issued, card.Fields[KtpField.TanggalTerbit].Value);
        Assert.Equal(CheckStatus.Failed, card.Checks.Single(c => c.Name == CheckNames.IssueDatePlausible).Status);
        Assert.True(card.Fields[KtpField.TanggalTerbit].Confidence < 0.5);

        // Today's date is one a card can carry.
        raw[KtpField.TanggalTerbit] = new RawField("22-11-2026", 97);
        Assert.NotEqual(ConfidenceClass.Invalid, Verifier.Verify(raw).Evidence[KtpField.TanggalTerbit].Class);
    }

    [Fact]
    public void Only_a_kecamatan_the_ocr_doubts_snaps_to_a_far_name_of_the_regency()
    {
        var raw = Raw(ConsistentCard, 97);
        raw[KtpField.Kecamatan] = new RawField("NUSA WUN", 97);
        Assert.Equal("NUSA WUN", Verifier.Verify(raw).Fields[KtpField.Kecamatan].Value);
        raw[KtpField.Kecamatan] = new RawField("NUSA WUN", 30);
        Assert.Equal("NUSAWUNGU", Verifier.Verify(raw).Fields[KtpField.Kecamatan].Value);
    }

    [Fact]
    public void Nothing_read_is_rejected()
    {
        var card = Verifier.Verify(new Dictionary<string, RawField> { [KtpField.Nama] = new("~~ |", 20) });
        Assert.Equal(Verdict.Rejected, card.Verdict.Decision);
    }

    [Fact]
    public void Reports_parse_figures()
    {
        var raw = Raw(Specimens.GroundTruth(Specimens.Setiawan), 90);
        Verifier.Verify(raw);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        const int n = 200;
        for (var i = 0; i < n; i++) Verifier.Verify(raw);
        Assert.True(RegionTable.Shared.Count(RegionLevel.Village) > 0);
        Console.WriteLine($"verify (parse+confidence+checks+verdict): {sw.Elapsed.TotalMilliseconds / n:F2} ms per card");
    }
}
