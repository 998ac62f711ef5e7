using KtpFleet.Corpus.Data;
using KtpFleet.Corpus.Generation;
using KtpFleet.Corpus.Rendering;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Results;

using CardLayout = KtpFleet.Corpus.Rendering.CardLayout;

namespace KtpFleet.Corpus.Tests;

public sealed class LayoutTests
{
    private static readonly Lazy<IReadOnlyList<(CardData Card, CardLayout Layout)>> Laid = new(() =>
    {
        var factory = new CardDataFactory(RegionData.Instance, Vocabulary.Instance);
        return [.. Enumerable.Range(0, 600).Select(i =>
        {
            var card = factory.Create($"c{i}", CardRandom.ForCard(9, i, "data"));
            return (card, CardLayoutBuilder.Build(card, CardRandom.ForCard(9, i, "layout")));
        })];
    });

    [Fact]
    public void Every_field_has_a_box_inside_the_canonical_card()
    {
        foreach (var (card, layout) in Laid.Value)
        {
            Assert.Equal(KtpField.All.Order(), layout.FieldBoxes.Keys.Order());
            foreach (var (field, box) in layout.FieldBoxes)
            {
                Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= CanonicalCard.Width && box.Y + box.Height <= CanonicalCard.Height,
                    $"{card.Id} {field} box {box} leaves the card");
                Assert.True(box.Width > 5 && box.Height > 15, $"{card.Id} {field} box {box} is degenerate");
            }
        }
    }

    [Fact]
    public void Rows_do_not_overlap_and_run_top_to_bottom()
    {
        string[] column = [KtpField.Nik, KtpField.Nama, KtpField.TanggalLahir, KtpField.JenisKelamin, KtpField.Alamat, KtpField.RtRw, KtpField.KelDesa,
            KtpField.Kecamatan, KtpField.Agama, KtpField.StatusPerkawinan, KtpField.Pekerjaan, KtpField.Kewarganegaraan, KtpField.BerlakuHingga];
        foreach (var (card, layout) in Laid.Value)
        {
            for (var i = 1; i < column.Length; i++)
            {
                var above = layout.FieldBoxes[column[i - 1]];
                var below = layout.FieldBoxes[column[i]];
                Assert.True(above.Y + above.Height <= below.Y + 3, $"{card.Id}: {column[i - 1]} {above} overlaps {column[i]} {below}");
            }
            // Values stay left of the photo.
            Assert.All(column, f => Assert.True(layout.FieldBoxes[f].X + layout.FieldBoxes[f].Width <= layout.Photo.X + 8, $"{card.Id}: {f} runs into the photo"));
        }
    }

    [Fact]
    public void Long_values_wrap_to_a_second_line_and_the_box_covers_both()
    {
        var wrapped = Laid.Value.Where(l => l.Layout.Style.WrappedLines > 0).ToList();
        Assert.True(wrapped.Count > 30, $"only {wrapped.Count} of {Laid.Value.Count} cards wrap a value");
        Assert.Contains(wrapped, l => l.Layout.FieldBoxes[KtpField.Alamat].Height > 40);
        foreach (var (card, layout) in wrapped)
        {
            var lines = layout.Runs.Count(r => r.X > 200 && r.X < 400 && !r.Text.StartsWith(':'));
            Assert.True(lines >= 12 + layout.Style.WrappedLines, $"{card.Id}: {lines} value lines");
        }
    }

    [Fact]
    public void The_layout_varies_between_cards_within_a_few_percent()
    {
        var styles = Laid.Value.Select(l => l.Layout.Style).ToList();
        Assert.True(styles.Select(s => s.OffsetX).Distinct().Count() > 100);
        Assert.All(styles, s => Assert.InRange(Math.Abs(s.OffsetX), 0, 0.02 * CanonicalCard.Width));
        Assert.All(styles, s => Assert.InRange(s.FontScale, 0.95, 1.05));
        Assert.Contains(styles, s => s.NikFont == CardLayoutBuilder.OcrA);
        Assert.Contains(styles, s => s.NikFont == CardLayoutBuilder.Sans);
        var nameY = Laid.Value.Select(l => l.Layout.FieldBoxes[KtpField.Nama].Y).ToList();
        Assert.True(nameY.Max() - nameY.Min() >= 8, "the Nama row never moves");
    }
}
