using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class RereadingTests
{
    private static Dictionary<string, RawField> Raw(params (string Field, string? Text)[] fields) =>
        fields.ToDictionary(f => f.Field, f => new RawField(f.Text, 90), StringComparer.Ordinal);

    [Fact]
    public void Only_lines_whose_values_do_not_parse_are_read_again()
    {
        var first = Raw(
            (KtpField.Nik, "12345"), (KtpField.GolonganDarah, "?"),                      // glyph-read: never re-read
            (KtpField.TempatLahir, "MADIUN, 13-0X-19"),                                   // the date on it is invalid
            (KtpField.Kewarganegaraan, "V"), (KtpField.RtRw, "027/002"), (KtpField.Agama, "ISLAM"));
        var lines = Rereading.LinesToReread(KtpVerifier.Shared.Verify(first));
        Assert.Contains(KtpField.Kewarganegaraan, lines);
        Assert.Contains(KtpField.TempatLahir, lines);      // for tanggal_lahir, which is read from that line
        Assert.DoesNotContain(KtpField.TanggalLahir, lines);
        Assert.DoesNotContain(KtpField.RtRw, lines);
        Assert.DoesNotContain(KtpField.Agama, lines);
        Assert.DoesNotContain(KtpField.Nik, lines);
        Assert.DoesNotContain(KtpField.GolonganDarah, lines);
    }

    [Fact]
    public void An_issue_place_outside_the_region_tables_is_read_again_and_a_header_name_is_not()
    {
        var first = Raw((KtpField.TempatTerbit, "NEO BAL TAN"), (KtpField.KabupatenKota, "KABUPATEN NEO BALTAN"));
        var lines = Rereading.LinesToReread(KtpVerifier.Shared.Verify(first));
        Assert.Contains(KtpField.TempatTerbit, lines);
        Assert.DoesNotContain(KtpField.KabupatenKota, lines);
        Assert.DoesNotContain(KtpField.TempatTerbit, Rereading.LinesToReread(KtpVerifier.Shared.Verify(Raw((KtpField.TempatTerbit, "KLUNGKUNG")))));

        // The regency-name guess then takes the place of the reading outside the tables.
        var guesses = Raw((KtpField.TempatTerbit, "MUSI BANYUASIN"));
        var (kept, verified) = Rereading.KeepBetter(first, KtpVerifier.Shared.Verify(first), guesses, r => KtpVerifier.Shared.Verify(r));
        Assert.Equal("MUSI BANYUASIN", kept[KtpField.TempatTerbit].Text);
        Assert.Equal("MUSI BANYUASIN", verified.Fields[KtpField.TempatTerbit].Value);
    }

    [Fact]
    public void A_second_reading_is_kept_only_where_more_of_its_line_parses()
    {
        var first = Raw((KtpField.Kewarganegaraan, "V"), (KtpField.RtRw, "KE )"), (KtpField.TempatLahir, "MADIUN, 13-0X-19"),
            (KtpField.Agama, "ISLAM"));
        var reread = Raw((KtpField.Kewarganegaraan, "WNI"), (KtpField.RtRw, "K3"), (KtpField.TempatLahir, "MADIUN, 13-01-1976"));
        var swapped = new Dictionary<string, RawField>(first);
        foreach (var (k, v) in reread) swapped[k] = v;
        var merged = Rereading.Merge(first, KtpVerifier.Shared.Verify(first), reread, KtpVerifier.Shared.Verify(swapped));
        Assert.Equal("WNI", merged[KtpField.Kewarganegaraan].Text);
        Assert.Equal("KE )", merged[KtpField.RtRw].Text);           // still invalid: the first reading stays
        Assert.Equal("MADIUN, 13-01-1976", merged[KtpField.TempatLahir].Text);
        Assert.Equal("ISLAM", merged[KtpField.Agama].Text);
        var card = KtpVerifier.Shared.Verify(merged);
        Assert.Equal("13-01-1976", card.Fields[KtpField.TanggalLahir].Value);
    }

    [Fact]
    public void Reread_reads_only_the_requested_text_fields_with_real_tesseract()
    {
        var card = RenderedGray.Convert(600, 120, "white", "-font", RenderedGray.Sans, "-pointsize", "16", "-fill", "black",
            "-annotate", "+20+30", "WNI", "-annotate", "+20+80", "ISLAM", "-blur", "0x0.6");
        var layout = new CardLayout(new Dictionary<string, IReadOnlyList<PixelRect>>
        {
            [KtpField.Kewarganegaraan] = [new PixelRect(18, 16, 40, 18)],
            [KtpField.Agama] = [new PixelRect(18, 66, 56, 18)],
            [KtpField.Nik] = [new PixelRect(18, 66, 56, 18)],
        }, new LayoutEvidence(12, true, 18));
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var reread = card.With(v => new FieldRecognizer().Reread(engine, v, layout, [KtpField.Kewarganegaraan, KtpField.Nik]));
        var value = Assert.Single(reread);
        Assert.Equal(KtpField.Kewarganegaraan, value.Key);
        Assert.Equal("WNI", value.Value.Text);
    }

    [Fact]
    public void Values_read_by_shape_skip_tesseract_and_the_birthplace_line_ends_before_its_date()
    {
        var card = RenderedGray.Convert(600, 120, "white", "-font", RenderedGray.Sans, "-pointsize", "20", "-fill", "black",
            "-annotate", "+20+30", ": BANDUNG, 17-08-1975", "-annotate", "+20+80", ": KATOLIK", "-blur", "0x0.5");
        var layout = new CardLayout(new Dictionary<string, IReadOnlyList<PixelRect>>
        {
            [KtpField.TempatLahir] = [new PixelRect(18, 14, 260, 20)],
            [KtpField.Agama] = [new PixelRect(18, 64, 110, 20)],
        }, new LayoutEvidence(12, true, 18));
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var reading = card.With(v => new FieldRecognizer().ReadAll(engine, v, layout));

        Assert.Equal("17-08-1975", reading.Fields[KtpField.TanggalLahir].Text);
        Assert.Equal("KATOLIK", reading.Fields[KtpField.Agama].Text);
        Assert.True(reading.Fields[KtpField.Agama].MeanWordConfidence >= 90);
        // Tesseract read the birthplace alone: the line as read ends before the date (and its comma).
        Assert.Equal("BANDUNG", reading.Fields[KtpField.TempatLahir].Text!.Trim(':', ' '));
        var place = Assert.Single(reading.Layout.LinesOf(KtpField.TempatLahir));
        Assert.True(place.Right < reading.Fields[KtpField.TanggalLahir].Box!.X, $"{place} overlaps the date");
        var parsed = KtpVerifier.Shared.Verify(reading.Fields);
        Assert.Equal("BANDUNG", parsed.Fields[KtpField.TempatLahir].Value);
        Assert.Equal("17-08-1975", parsed.Fields[KtpField.TanggalLahir].Value);
    }

    [Fact]
    public void The_issue_place_is_guessed_by_shape_only_when_asked_for()
    {
        var card = RenderedGray.Convert(600, 120, "white", "-font", RenderedGray.Sans, "-pointsize", "13", "-fill", "black",
            "-annotate", "+20+30", "TASIKMALAYA", "-annotate", "+20+80", "BANDUNG", "-blur", "0x0.7");
        var layout = new CardLayout(new Dictionary<string, IReadOnlyList<PixelRect>>
        {
            [KtpField.TempatTerbit] = [new PixelRect(18, 18, 120, 16)],
            [KtpField.TempatLahir] = [new PixelRect(18, 68, 120, 16)],
        }, new LayoutEvidence(12, true, 18));
        var recognizer = new FieldRecognizer();
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        // Not among the first reading's guesses (a thousand candidates would cost every card ~10 ms)...
        Assert.DoesNotContain(KtpField.TempatTerbit, card.With(v => recognizer.ReadAll(engine, v, layout)).Guesses.Keys);
        // ...but made for a value that needs one; the birthplace has no guess-only vocabulary.
        var guesses = card.With(v => recognizer.LateGuesses(v, layout, [KtpField.TempatTerbit, KtpField.TempatLahir]));
        var guess = Assert.Single(guesses);
        Assert.Equal(KtpField.TempatTerbit, guess.Key);
        Assert.Equal("TASIKMALAYA", guess.Value.Text);
        Assert.Equal(FieldRecognizer.ShapeGuessConfidence, guess.Value.MeanWordConfidence);
    }

    [Theory]
    [InlineData("DUSUN MEKARSARI NO 112")]
    [InlineData("DUSUN MEKARSARI NO. 112")]
    [InlineData("PERUM KENANGA INDAH BLOK F2 NO. 205")]
    public void An_address_keeps_exactly_the_periods_the_image_shows(string address)
    {
        // Small and blurred, as on a photo: the LSTM drops a period beside a word; the gap it leaves tells.
        var card = RenderedGray.Convert(600, 60, "white", "-font", RenderedGray.Sans, "-pointsize", "16", "-fill", "#202020",
            "-annotate", "+20+35", address, "-blur", "0x1.3");
        var layout = new CardLayout(new Dictionary<string, IReadOnlyList<PixelRect>>
        {
            [KtpField.Alamat] = [new PixelRect(18, 20, 400, 18)],
        }, new LayoutEvidence(12, true, 18));
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var reading = card.With(v => new FieldRecognizer().ReadAll(engine, v, layout));
        Assert.Equal(address, KtpVerifier.Shared.Verify(reading.Fields).Fields[KtpField.Alamat].Value);
    }

    [Fact]
    public void A_shape_guess_fills_only_a_value_tesseract_could_not_parse_and_is_never_confident()
    {
        var first = Raw((KtpField.Agama, ": BS"), (KtpField.StatusPerkawinan, ": KAWIN"));
        var guesses = new Dictionary<string, RawField>(StringComparer.Ordinal)
        {
            [KtpField.Agama] = new("ISLAM", FieldRecognizer.ShapeGuessConfidence),
            [KtpField.StatusPerkawinan] = new("BELUM KAWIN", FieldRecognizer.ShapeGuessConfidence),
        };
        var firstVerified = KtpVerifier.Shared.Verify(first);
        Assert.Equal(ConfidenceClass.Invalid, firstVerified.Evidence[KtpField.Agama].Class); // what Tesseract read of a blurred ISLAM
        var (raw, verified) = Rereading.KeepBetter(first, firstVerified, guesses, r => KtpVerifier.Shared.Verify(r));
        // The unparsed religion takes the guess; the marital status parsed and keeps Tesseract's reading.
        Assert.Equal("KAWIN", verified.Fields[KtpField.StatusPerkawinan].Value);
        Assert.Equal(": KAWIN", raw[KtpField.StatusPerkawinan].Text);
        Assert.Equal("ISLAM", verified.Fields[KtpField.Agama].Value);
        Assert.True(verified.Fields[KtpField.Agama].Confidence < VerdictPolicy.Default.AutoAcceptConfidence);
    }
}
