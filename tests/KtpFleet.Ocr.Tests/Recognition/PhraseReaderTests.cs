using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class PhraseReaderTests
{
    private const string Nimbus = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
    private static readonly PhraseReader Reader = new();

    /// <summary>": VALUE" as a KTP prints it, small and soft like a photographed card's print.</summary>
    private static RenderedGray RenderValue(string value, string font = RenderedGray.Sans, int pointSize = 13, double blur = 0.7) =>
        RenderedGray.Convert(420, 30, "white", "-font", font, "-pointsize", pointSize.ToString(), "-fill", "#151515",
            "-annotate", "+4+21", ":", "-annotate", $"+{4 + pointSize}+21", value, "-blur", $"0x{blur}");

    private static PhraseReading? Read(RenderedGray line, string field) =>
        line.With(v => Reader.Read(v, new PixelRect(0, 0, v.Width, v.Height), 18, field));

    [Fact]
    public void Every_value_and_rival_has_a_template_in_each_font()
    {
        var templates = PhraseTemplates.Load();
        var texts = PhraseReader.TextsToRender().ToList();
        Assert.Contains("WNI", texts);
        Assert.Contains("INDIA", texts); // a rival of WNI/WNA
        Assert.Contains("PEGAWAI NEGERI SIPIL", texts); // the short form of an occupation with its acronym
        foreach (var text in texts)
            Assert.True(templates.Of(text).Count == 2, $"'{text}' has {templates.Of(text).Count} renderings (run scripts/gen-phrase-templates.sh)");
    }

    [Theory]
    [InlineData(KtpField.JenisKelamin, "PEREMPUAN")]
    [InlineData(KtpField.JenisKelamin, "LAKI-LAKI")]
    [InlineData(KtpField.Agama, "KATOLIK")]
    [InlineData(KtpField.Agama, "ISLAM")]
    [InlineData(KtpField.StatusPerkawinan, "BELUM KAWIN")]
    [InlineData(KtpField.StatusPerkawinan, "CERAI HIDUP")]
    [InlineData(KtpField.Kewarganegaraan, "WNI")]
    [InlineData(KtpField.BerlakuHingga, "SEUMUR HIDUP")]
    [InlineData(KtpField.Pekerjaan, "PELAJAR/MAHASISWA")]
    [InlineData(KtpField.Pekerjaan, "KARYAWAN SWASTA")]
    [InlineData(KtpField.StatusPerkawinan, "MARRIED")]
    public void Small_blurred_values_are_read_decisively_in_both_fonts(string field, string value)
    {
        foreach (var font in new[] { RenderedGray.Sans, Nimbus })
        {
            var reading = Read(RenderValue(value, font), field);
            Assert.NotNull(reading);
            Assert.Equal(value, reading.Text);
            Assert.True(reading.IsDecisive, $"{value} in {Path.GetFileName(font)}: score {reading.Score:F3}, lead {reading.Margin:F3}");
        }
    }

    [Fact]
    public void Words_that_differ_by_one_letter_in_the_middle_are_told_apart()
    {
        // KAWIN is the end of BELUM KAWIN, and CERAI HIDUP / CERAI MATI share their first word.
        Assert.Equal("KAWIN", Read(RenderValue("KAWIN"), KtpField.StatusPerkawinan)!.Text);
        Assert.Equal("CERAI MATI", Read(RenderValue("CERAI MATI"), KtpField.StatusPerkawinan)!.Text);
        Assert.Equal("WNA", Read(RenderValue("WNA", pointSize: 16, blur: 0.5), KtpField.Kewarganegaraan)!.Text);
    }

    [Theory]
    [InlineData(KtpField.Kewarganegaraan, "JEPANG")]
    [InlineData(KtpField.Kewarganegaraan, "INDIA")]
    [InlineData(KtpField.Kewarganegaraan, "MESIR")]
    [InlineData(KtpField.Agama, "PROTESTAN")]
    [InlineData(KtpField.BerlakuHingga, "17-08-2027")]
    public void A_value_outside_the_vocabulary_is_left_to_tesseract(string field, string value)
    {
        // Sharp and soft: a sharp INDIA fits WNA by a wide lead unless the country names compete.
        foreach (var blur in new[] { 0.3, 0.8 })
        {
            var reading = Read(RenderValue(value, pointSize: 20, blur: blur), field);
            Assert.False(reading is { IsDecisive: true }, $"'{value}' read as {reading?.Text} (score {reading?.Score:F3}, lead {reading?.Margin:F3})");
        }
    }

    [Fact]
    public void A_blank_line_or_a_field_without_vocabulary_reads_nothing()
    {
        var blank = RenderedGray.Convert(300, 30, "white");
        Assert.Null(Read(blank, KtpField.Agama));
        Assert.Null(Read(RenderValue("BUDI SANTOSO"), KtpField.Nama));
    }

    [Theory]
    [InlineData("KLUNGKUNG")]
    [InlineData("TASIKMALAYA")]
    [InlineData("MUSI BANYUASIN")]
    public void The_issue_place_is_read_among_the_regency_names_but_only_as_a_guess(string place)
    {
        var reading = Read(RenderValue(place), KtpField.TempatTerbit);
        Assert.NotNull(reading);
        Assert.Equal(place, reading.Text);
        Assert.True(reading.GuessOnly);
        Assert.False(reading.IsDecisive, $"fit {reading.Score:F2}, lead {reading.Margin:F2}");
    }

    [Fact]
    public void Letters_too_faint_for_the_dark_core_are_still_part_of_the_value()
    {
        // BUDDH printed dark, ISM washed out (glare): the dark core holds only BUDDH, whose shape fits BUDHA.
        var line = RenderedGray.Convert(420, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "13", "-fill", "#151515",
            "-annotate", "+4+21", ":", "-annotate", "+17+21", "BUDDHISM", "-fill", "rgba(255,255,255,0.55)",
            "-draw", "rectangle 63,0 419,29", "-blur", "0x0.7");
        var boxes = line.With(v => PhraseReader.ValueBoxes(InkMask.FromRegion(v, new PixelRect(0, 0, v.Width, v.Height)).Core(), 18).ToList());
        Assert.True(boxes.Max(b => b.Right) < 66, "the core no longer holds ISM: the test does not test the widening");

        var reading = Read(line, KtpField.Agama);
        Assert.NotNull(reading);
        Assert.Equal("BUDDHISM", reading.Text);
    }

    [Fact]
    public void Specks_after_the_value_do_not_widen_it()
    {
        var mask = RenderedGray.Convert(200, 30, "white", "-fill", "#151515", "-draw", "rectangle 10,8 60,20",
                "-draw", "point 70,12", "-draw", "point 75,15")
            .With(v => InkMask.FromRegion(v, new PixelRect(0, 0, v.Width, v.Height)));
        var box = new InkComponent(10, 8, 51, 13, 51 * 13);
        Assert.Equal(box, PhraseReader.WithTrailingInk(mask, box));
    }
}
