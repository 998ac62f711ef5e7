using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Pipeline;

public sealed class NotACardTests(SharedExtractor shared) : IClassFixture<SharedExtractor>
{
    [Fact]
    public async Task A_photo_of_something_else_is_rejected_with_a_reason()
    {
        var dir = Magick.NewScratchDirectory("not-a-card");
        var path = Path.Combine(dir, "landscape.jpg");
        // A gradient "sky", a textured "ground" and a few shapes: photo-like, no card, no text.
        Magick.Convert("-size", "1200x800", "gradient:#8fb8e8-#f4e9d0", "-seed", "3",
            "(", "-size", "1200x300", "plasma:#3b6b2a-#7a9a4a", ")", "-gravity", "south", "-composite",
            "-fill", "#c0392b", "-draw", "circle 300,300 360,360", "-quality", "85", path);
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Equal(Verdict.Rejected, result.Verdict.Decision);
        Assert.Contains(result.Verdict.Reasons, r => r.StartsWith("not_a_card"));
        Assert.All(result.Fields.Values, f => Assert.Null(f.Value));
    }

    [Fact]
    public async Task A_page_of_text_is_not_mistaken_for_a_card()
    {
        var dir = Magick.NewScratchDirectory("not-a-card");
        var path = Path.Combine(dir, "letter.png");
        Magick.Convert("-size", "1000x700", "xc:white", "-font", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "-pointsize", "22", "-fill", "black",
            "-annotate", "+40+60", "Dear customer, thank you for your letter of 12 March.",
            "-annotate", "+40+100", "We have reviewed your account and found no issues.",
            "-annotate", "+40+140", "Please find the statement attached to this message.",
            "-annotate", "+40+180", "Kind regards, the service team", path);
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Equal(Verdict.Rejected, result.Verdict.Decision);
    }

    [Fact]
    public async Task A_small_noisy_photo_of_a_printed_page_is_rejected()
    {
        // Sixteen lines of prose, photographed small and noisy: some run of its words fits sixteen digit cells about
        // as well as a noisy NIK does, but only a few pixels tall, no NIK's size on the card.
        var dir = Magick.NewScratchDirectory("not-a-card");
        var page = Path.Combine(dir, "page.png");
        var path = Path.Combine(dir, "page-photo.jpg");
        var args = new List<string> { "-size", "1000x700", "xc:white", "-font", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "-pointsize", "20", "-fill", "black" };
        for (var i = 0; i < 16; i++)
            args.AddRange(["-annotate", $"+40+{40 + i * 40}", "We have reviewed your account number and found no issues at all this month"]);
        Magick.Convert([.. args, page]);
        Magick.Convert(page, "-resize", "60%", "-attenuate", "0.8", "+noise", "Gaussian", "-quality", "55", path);
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Equal(Verdict.Rejected, result.Verdict.Decision);
        Assert.Contains(result.Verdict.Reasons, r => r.StartsWith("not_a_card"));
    }

    [Fact]
    public async Task A_card_with_its_nik_covered_goes_to_review_with_the_rest_read()
    {
        // Glare or a thumb over the whole NIK row, label and digits: still a KTP, and its other fields still legible.
        var dir = Magick.NewScratchDirectory("not-a-card");
        var path = Path.Combine(dir, "nik-covered.jpg");
        Magick.Convert(RepoPaths.Specimen("setiawan.jpg"), "-fill", "white", "-draw", "rectangle 10,90 530,126", "-quality", "92", path);
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Equal(Verdict.NeedsReview, result.Verdict.Decision);
        Assert.Contains("missing:nik", result.Verdict.Reasons);
        Assert.Equal("SETIAWAN", result.Fields[KtpField.Nama].Value);
        Assert.Equal("KATHOLIK", result.Fields[KtpField.Agama].Value);
    }

    [Fact]
    public async Task A_card_too_damaged_to_read_is_rejected_as_unreadable_not_as_something_else()
    {
        // The NIK row and the lower half of the rows gone (glare, a fold): seven rows of a KTP's shape remain, too few
        // to read as one, enough to tell the partner to ask for a better photo rather than for a KTP.
        var dir = Magick.NewScratchDirectory("not-a-card");
        var path = Path.Combine(dir, "damaged.jpg");
        Magick.Convert(RepoPaths.Specimen("setiawan.jpg"), "-fill", "white", "-draw", "rectangle 10,90 530,126",
            "-draw", "rectangle 0,322 560,557", "-quality", "92", path);
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path));
        Assert.Equal(Verdict.Rejected, result.Verdict.Decision);
        Assert.StartsWith("unreadable_card", Assert.Single(result.Verdict.Reasons));
        Assert.All(result.Fields.Values, f => Assert.Null(f.Value));
    }
}
