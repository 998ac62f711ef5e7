using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.Recognition;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Layout;

public sealed class FieldLocatorTests
{
    [Theory]
    [InlineData("setiawan")]
    [InlineData("abdurrahman-hadin")]
    public void Finds_the_nik_line_and_all_twelve_label_rows_of_a_specimen(string name)
    {
        var layout = CanonicalSpecimen.Load(name).With(v => new FieldLocator().Locate(v));
        Assert.True(layout.Evidence.NikLineFound);
        Assert.Equal(12, layout.Evidence.LabelRows);
        Assert.True(layout.Evidence.LooksLikeKtp);
        Assert.NotNull(layout.Nik);
        // Every field has a region except the birth date, which the parser splits from Tempat/Tgl Lahir's line.
        Assert.All(KtpField.All.Where(f => f != KtpField.TanggalLahir), f => Assert.NotEmpty(layout.LinesOf(f)));
        Assert.Empty(layout.LinesOf(KtpField.TanggalLahir));
    }

    [Fact]
    public void Rows_come_in_print_order_and_the_wrapped_address_keeps_both_lines()
    {
        var layout = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var tops = FieldLocator.LabelRows.Where(f => f != KtpField.GolonganDarah).Select(f => layout.LinesOf(f)[0].Y).ToList();
        Assert.Equal(tops.OrderBy(t => t), tops);
        var address = layout.LinesOf(KtpField.Alamat);
        Assert.Equal(2, address.Count);
        Assert.True(address[1].Y > address[0].Bottom, "the second address line lies below the first");
        Assert.True(layout.LinesOf(KtpField.RtRw)[0].Y > address[1].Bottom, "RT/RW follows the wrapped line");
    }

    [Fact]
    public void A_value_whose_end_is_printed_light_keeps_its_end()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var line = sharp.LinesOf(KtpField.TempatLahir)[0];
        // The birth line lightened from its middle (its date) to the photo, as glare does: lighter than the body's one
        // threshold. (The lightened patch's own edge must not lie beside the line: a step in the paper is ink to a
        // levelled line.)
        var half = new PixelRect(line.X + line.Width / 2, line.Y - 3, 760 - line.X - line.Width / 2, line.Height + 6);
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("setiawan.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "(", "+clone", "-crop", $"{half.Width}x{half.Height}+{half.X}+{half.Y}", "+repage", "+level", "62%,100%", ")",
            "-geometry", $"+{half.X}+{half.Y}", "-composite");
        var layout = card.With(v => new FieldLocator().Locate(v));

        var light = Assert.Single(layout.LinesOf(KtpField.TempatLahir));
        Assert.InRange(light.Right, line.Right - 3, line.Right + 3);
    }

    // With (1, 4) and (4, 4.5) no line segments into a NIK any more (FindNikLineByCells); the others still segment,
    // with misread digits, and the cells give the second opinion. At noise 4 the cells are near their limit: seeds 2
    // and 8 lose one digit (such readings stay at confidence 60 and go to review).
    [Theory]
    [InlineData(5, "3.5", "40%")]
    [InlineData(1, "4", "40%")]
    [InlineData(6, "4", "40%")]
    [InlineData(7, "4", "40%")]
    [InlineData(3, "4", "36%")]
    [InlineData(4, "4.5", "40%")]
    public void A_nik_line_too_noisy_to_segment_is_read_as_cells(int seed, string noise, string shrink)
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var nik = sharp.LinesOf(KtpField.Nik)[0];
        // The NIK row alone as a small noisy capture leaves it: shrunk to 40 %, sensor noise, enlarged back.
        var row = new PixelRect(nik.X - 4, nik.Y - 6, 720 - nik.X, nik.Height + 12);
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("setiawan.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "(", "+clone", "-crop", $"{row.Width}x{row.Height}+{row.X}+{row.Y}", "+repage",
            "-resize", shrink, "-seed", $"{seed}", "-attenuate", noise, "+noise", "Gaussian", "-resize", $"{row.Width}x{row.Height}!", ")",
            "-geometry", $"+{row.X}+{row.Y}", "-composite");
        var layout = card.With(v => new FieldLocator().Locate(v));

        Assert.Equal("6112032206820000", sharp.Nik?.Digits);
        Assert.NotNull(layout.Nik);
        Assert.True(layout.Nik.FromCells);
        Assert.Equal("6112032206820000", layout.Nik.Digits);
        Assert.True(layout.Evidence.LooksLikeKtp);
        Assert.Equal(sharp.LinesOf(KtpField.Nama)[0], layout.LinesOf(KtpField.Nama)[0]);
    }

    [Fact]
    public void A_wrapped_value_of_one_glyph_is_still_its_second_line()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var second = sharp.LinesOf(KtpField.Alamat)[1];
        // The wrapped line replaced by a lone house number: one blob, which no row of two glyphs side by side holds.
        var wiped = new PixelRect(second.X - 2, second.Y - 3, second.Width + 6, second.Height + 6);
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("setiawan.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "-fill", "white", "-draw", $"rectangle {wiped.X},{wiped.Y} {wiped.Right},{wiped.Bottom}",
            "-fill", "#303030", "-font", RenderedGray.Sans, "-pointsize", $"{second.Height * 1.35:F0}",
            "-annotate", $"+{second.X}+{second.Bottom}", "8");
        var layout = card.With(v => new FieldLocator().Locate(v));

        var address = layout.LinesOf(KtpField.Alamat);
        Assert.Equal(2, address.Count);
        Assert.InRange(address[1].X, second.X - 3, second.X + 3);
        Assert.True(address[1].Width < second.Height * 1.5, $"{address[1]} is more than the one glyph");
        Assert.Equal(sharp.LinesOf(KtpField.RtRw)[0], layout.LinesOf(KtpField.RtRw)[0]);
    }

    [Fact]
    public void The_blood_type_sits_right_of_the_sex_on_the_same_row_and_the_issue_lines_under_the_photo()
    {
        var layout = CanonicalSpecimen.Load("abdurrahman-hadin").With(v => new FieldLocator().Locate(v));
        var sex = layout.LinesOf(KtpField.JenisKelamin)[0];
        var blood = layout.LinesOf(KtpField.GolonganDarah)[0];
        Assert.True(blood.X > CanonicalCard.Width / 2 && blood.X > sex.Right);
        Assert.InRange(blood.Y, sex.Y - 5, sex.Y + 5);
        var place = layout.LinesOf(KtpField.TempatTerbit)[0];
        var date = layout.LinesOf(KtpField.TanggalTerbit)[0];
        Assert.True(place.X > CanonicalCard.Width * 0.72 && date.Y > place.Bottom, $"{place} {date}");
    }

    /// <summary>The specimen's issue place and date lines (as the locator finds them on the sharp card).</summary>
    private static (PixelRect Place, PixelRect Date) SpecimenIssueLines()
    {
        var sharp = CanonicalSpecimen.Load("abdurrahman-hadin").With(v => new FieldLocator().Locate(v));
        return (sharp.LinesOf(KtpField.TempatTerbit)[0], sharp.LinesOf(KtpField.TanggalTerbit)[0]);
    }

    /// <summary>
    /// The specimen with its issue place wiped from <paramref name="wipeFrom"/> (share of the card width) to the edge
    /// and <paramref name="place"/> printed in its stead at <paramref name="size"/> points, starting at <paramref name="x"/>.
    /// </summary>
    private static CardLayout LocateWithIssuePlace(string place, double size, int x, double wipeFrom)
    {
        var (printed, _) = SpecimenIssueLines();
        var left = (int)(CanonicalCard.Width * wipeFrom);
        var wiped = new PixelRect(left, printed.Y - 3, CanonicalCard.Width * 99 / 100 - left, printed.Height + 6);
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("abdurrahman-hadin.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "-fill", "white", "-draw", $"rectangle {wiped.X},{wiped.Y} {wiped.Right},{wiped.Bottom}",
            "-fill", "#202020", "-font", RenderedGray.Sans, "-pointsize", $"{size:F0}", "-gravity", "NorthWest",
            "-annotate", $"+{x}+{printed.Bottom - (int)(size * 0.9)}", place);
        return card.With(v => new FieldLocator().Locate(v));
    }

    /// <summary>Where a name of <paramref name="place"/>'s length starts when centred on the date at <paramref name="size"/> points.</summary>
    private static int CentredStart(string place, double size, PixelRect date) => date.X + date.Width / 2 - (int)(size * 0.33 * place.Length);

    [Theory]
    [InlineData("SIGI", 0.6)]                         // a short name, small: hardly two letters' worth of ink
    [InlineData("BOLAANG MONGONDOW SELATAN", 0.5)]    // a long one, printed smaller to fit
    public void The_issue_place_is_the_line_just_above_the_line_that_reads_as_a_date(string place, double scale)
    {
        var (printed, date) = SpecimenIssueLines();
        var size = printed.Height * 1.4 * scale;
        var layout = LocateWithIssuePlace(place, size, CentredStart(place, size, date), wipeFrom: 0.72);

        Assert.Equal(date, Assert.Single(layout.LinesOf(KtpField.TanggalTerbit)));
        var found = Assert.Single(layout.LinesOf(KtpField.TempatTerbit));
        Assert.True(found.Bottom <= date.Y && found.Bottom >= printed.Bottom - 4, $"{found} is not the place line above {date}");
    }

    [Theory]
    [InlineData("0x1.6", "0.55")]
    [InlineData("0x1.2", "0.65")]
    public void A_faint_issue_date_is_still_the_line_under_the_place(string blur, string lighten)
    {
        var (place, date) = SpecimenIssueLines();
        // The date blurred and printed light, as in a soft photo: it reads as no date, and beside the photo's
        // silhouette it is too light to be a line of the region's ink. (The signature, which on this specimen reaches
        // up to under the date, is wiped: see LineUnderReach.)
        var row = new PixelRect(date.X - 8, date.Y - 6, date.Width + 16, date.Height + 12);
        var signature = new PixelRect(CanonicalCard.Width * 2 / 3, row.Bottom, CanonicalCard.Width / 3 - 12, CanonicalCard.Height - 12 - row.Bottom);
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("abdurrahman-hadin.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "(", "+clone", "-crop", $"{row.Width}x{row.Height}+{row.X}+{row.Y}", "+repage", "-blur", blur, "-fx", $"max(u,{lighten})", ")",
            "-geometry", $"+{row.X}+{row.Y}", "-composite",
            "-fill", "white", "-draw", $"rectangle {signature.X},{signature.Y} {signature.Right},{signature.Bottom}");
        var layout = card.With(v => new FieldLocator().Locate(v));

        var foundPlace = Assert.Single(layout.LinesOf(KtpField.TempatTerbit));
        Assert.InRange(foundPlace.Y, place.Y - 3, place.Y + 3);
        var foundDate = Assert.Single(layout.LinesOf(KtpField.TanggalTerbit));
        Assert.InRange(foundDate.Y, date.Y - 4, date.Y + 4);
    }

    [Fact]
    public void A_long_issue_place_centred_under_the_photo_keeps_the_letters_left_of_the_photos_edge()
    {
        const string place = "TIMOR TENGAH SELATAN";
        var (printed, date) = SpecimenIssueLines();
        var size = printed.Height * 1.3;
        var start = CentredStart(place, size, date);
        Assert.True(start < CanonicalCard.Width * 0.71, $"the name must start left of the photo's edge, not at {start}");
        var layout = LocateWithIssuePlace(place, size, start, wipeFrom: 0.64);

        var found = Assert.Single(layout.LinesOf(KtpField.TempatTerbit));
        Assert.InRange(found.X, start - 2, start + 4);
    }

    [Fact]
    public void Value_crops_start_at_the_colon_column_not_at_the_labels()
    {
        var layout = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var column = layout.Evidence.ValueColumnX;
        Assert.InRange(column, 240, 300);
        foreach (var field in new[] { KtpField.Nama, KtpField.Agama, KtpField.Kewarganegaraan })
            Assert.InRange(layout.LinesOf(field)[0].X, column - 4, column + 20);
    }

    [Fact]
    public void A_blank_card_has_no_nik_and_does_not_look_like_a_ktp()
    {
        var blank = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "#cfe3f0");
        var layout = blank.With(v => new FieldLocator().Locate(v));
        Assert.False(layout.Evidence.NikLineFound);
        Assert.False(layout.Evidence.LooksLikeKtp);
    }

    [Fact]
    public void A_nik_row_whose_digits_do_not_read_is_told_by_its_place_above_the_label_rows()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var nik = sharp.LinesOf(KtpField.Nik)[0];
        // The digits smeared past reading (glare, a scratch), the "NIK" label left as it is.
        var digits = new PixelRect(nik.X + nik.Width / 5, nik.Y - 4, nik.Width - nik.Width / 5 + 6, nik.Height + 8);
        var smeared = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("setiawan.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "(", "+clone", "-crop", $"{digits.Width}x{digits.Height}+{digits.X}+{digits.Y}", "+repage", "-blur", "0x9", ")",
            "-geometry", $"+{digits.X}+{digits.Y}", "-composite");
        var layout = smeared.With(v => new FieldLocator().Locate(v));

        Assert.False(layout.Evidence.NikLineFound);
        Assert.True(layout.Evidence.NikRowByPosition);
        Assert.True(layout.Evidence.LooksLikeKtp);
        Assert.InRange(layout.LinesOf(KtpField.Nik)[0].Y, nik.Y - 4, nik.Y + 4);
        // Every row below keeps its own label: nothing shifted up by one.
        foreach (var field in new[] { KtpField.Nama, KtpField.Agama, KtpField.BerlakuHingga })
            Assert.InRange(layout.LinesOf(field)[0].Y, sharp.LinesOf(field)[0].Y - 3, sharp.LinesOf(field)[0].Y + 3);
    }

    [Fact]
    public void A_header_line_reaching_left_of_the_value_column_is_not_taken_for_an_unread_nik_row()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var nik = sharp.LinesOf(KtpField.Nik)[0];
        var header = sharp.LinesOf(KtpField.Provinsi)[0];
        var digits = new PixelRect(nik.X + nik.Width / 5, nik.Y - 4, nik.Width - nik.Width / 5 + 6, nik.Height + 8);
        // The NIK's digits smeared past reading, and a letter-sized mark on the province line, left of the value
        // column (noise, or a long name): the header then has ink where labels are, but starts far from the labels.
        var card = RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen("setiawan.jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite",
            "(", "+clone", "-crop", $"{digits.Width}x{digits.Height}+{digits.X}+{digits.Y}", "+repage", "-blur", "0x9", ")",
            "-geometry", $"+{digits.X}+{digits.Y}", "-composite",
            "-fill", "black", "-draw", $"rectangle 200,{header.Y + 2} 210,{header.Bottom - 2}");
        var layout = card.With(v => new FieldLocator().Locate(v));

        Assert.True(layout.Evidence.NikRowByPosition);
        Assert.InRange(layout.LinesOf(KtpField.Nik)[0].Y, nik.Y - 4, nik.Y + 4);
        AssertRowsUnshifted(sharp, layout, KtpField.Nama, KtpField.Agama, KtpField.BerlakuHingga);
    }

    [Fact]
    public void A_card_whose_nik_row_is_covered_is_still_a_card_read_from_its_label_rows()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var nik = sharp.LinesOf(KtpField.Nik)[0];
        // Label and digits both gone (glare, a thumb): nothing says where the NIK was, the twelve rows under it remain.
        var covered = CanonicalSpecimen.Load("setiawan", "-fill", "white", "-draw", $"rectangle 0,{nik.Y - 6} 720,{nik.Bottom + 6}")
            .With(v => new FieldLocator().Locate(v));

        Assert.False(covered.Evidence.NikLineFound);
        Assert.False(covered.Evidence.NikRowByPosition);
        Assert.True(covered.Evidence.LooksLikeKtp);
        Assert.Empty(covered.LinesOf(KtpField.Nik));
        AssertRowsUnshifted(sharp, covered, KtpField.Nama, KtpField.Agama, KtpField.BerlakuHingga);
    }

    [Fact]
    public void A_nik_row_is_told_by_the_gap_under_it_when_a_row_below_is_lost()
    {
        var sharp = CanonicalSpecimen.Load("setiawan").With(v => new FieldLocator().Locate(v));
        var nik = sharp.LinesOf(KtpField.Nik)[0];
        var last = sharp.LinesOf(KtpField.BerlakuHingga)[0];
        // The NIK's digits wiped, its label left; the last row gone too: twelve labelled rows, as many as under a NIK.
        var card = CanonicalSpecimen.Load("setiawan", "-fill", "white",
                "-draw", $"rectangle {nik.X + nik.Width / 5},{nik.Y - 6} 720,{nik.Bottom + 6}",
                "-draw", $"rectangle 0,{last.Y - 4} 720,{last.Bottom + 4}")
            .With(v => new FieldLocator().Locate(v));

        Assert.False(card.Evidence.NikLineFound);
        Assert.True(card.Evidence.NikRowByPosition);
        Assert.True(card.Evidence.LooksLikeKtp);
        Assert.InRange(card.LinesOf(KtpField.Nik)[0].Y, nik.Y - 4, nik.Y + 4);
        AssertRowsUnshifted(sharp, card, KtpField.Nama, KtpField.Agama, KtpField.Kewarganegaraan);
    }

    private static void AssertRowsUnshifted(CardLayout sharp, CardLayout layout, params string[] fields)
    {
        foreach (var field in fields)
            Assert.InRange(layout.LinesOf(field)[0].Y, sharp.LinesOf(field)[0].Y - 3, sharp.LinesOf(field)[0].Y + 3);
    }

    [Theory]
    [InlineData(12, true, 0, true)]
    [InlineData(7, true, 0, false)]
    [InlineData(12, false, 12, true)]   // every row a label, a gap and a value: a card whose NIK row was not seen
    [InlineData(11, false, 7, true)]    // blur moved a few values' starts off the column, a row lost
    [InlineData(10, false, 10, false)]  // too few rows for a card without its NIK
    [InlineData(12, false, 6, false)]
    [InlineData(12, false, 4, false)]   // rows of prose: no label-gap-value shape
    public void Without_a_nik_line_a_full_set_of_aligned_rows_is_a_card(int labelRows, bool nikLine, int aligned, bool card) =>
        Assert.Equal(card, new LayoutEvidence(labelRows, nikLine, 270) { AlignedRows = aligned }.LooksLikeKtp);

    [Theory]
    [InlineData(5, true, 0, true)]
    [InlineData(15, false, 3, true)]
    [InlineData(15, false, 2, false)] // a page of prose: many rows with ink left of the column, none a label and a value
    [InlineData(0, false, 0, false)]
    public void A_layout_shows_a_ktp_by_its_nik_line_or_a_few_label_value_rows(int labelRows, bool nikLine, int aligned, bool shows) =>
        Assert.Equal(shows, new LayoutEvidence(labelRows, nikLine, 270) { AlignedRows = aligned }.ShowsKtpRows);
}
