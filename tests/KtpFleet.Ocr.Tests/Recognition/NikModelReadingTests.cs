using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Tests.Layout;

namespace KtpFleet.Ocr.Tests.Recognition;

/// <summary>The nik model (tessdata/nik-1.0) reading the specimen's NIK digits off the row the layout found.</summary>
public sealed class NikModelReadingTests : IDisposable
{
    private const string SpecimenNik = "6112032206820000";
    private readonly TesseractEngine _engine = TesseractEngine.Create(TessdataSet.Load(version: TessdataSet.NikModelVersion));

    /// <summary>The specimen is printed in Arial, whose 1 has no foot: a face the model saw only as drawn lines.</summary>
    [Fact]
    public void It_reads_the_digits_of_a_sharp_card() => Assert.Equal(SpecimenNik, Read(CanonicalSpecimen.Load("setiawan")).Nik);

    [Fact]
    public void It_reads_a_nik_row_the_glyph_matcher_doubts()
    {
        // A card some 450 px wide in the photo, blurred and noisy, warped back to the canonical size.
        var card = CanonicalSpecimen.Load("setiawan", "-resize", "45%", "-blur", "0x1.1", "-attenuate", "0.7", "+noise", "Gaussian",
            "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!");
        var (nik, glyphs) = Read(card);
        Assert.True(glyphs is null || FieldRecognizer.GlyphConfidence(glyphs) < NikOpinion.AskBelow, $"the glyph matcher was sure of {glyphs?.Digits}");
        Assert.Equal(SpecimenNik, nik);
    }

    private (string? Nik, NikGlyphReading? Glyphs) Read(RenderedGray card) => card.With(view =>
    {
        var layout = new FieldLocator().Locate(view);
        return (FieldRecognizer.ReadNikDigits(_engine, view, layout)?.Text, layout.Nik);
    });

    public void Dispose() => _engine.Dispose();
}
