using System.Drawing;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Tests.TestSupport;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>
/// Card finding, rectification and orientation on generated photos with known corners: the card pasted with a
/// perspective onto a cluttered background, at each quarter turn, JPEG-compressed, blurred, small, with glare.
/// </summary>
public sealed class CardLocationTests(SyntheticCardScenes scenes, ITestOutputHelper output) : IClassFixture<SyntheticCardScenes>
{
    private readonly ImagePreprocessor _preprocessor = new();

    /// <summary>Card corners in the photo: top-left, top-right, bottom-right, bottom-left of the card itself.</summary>
    public static TheoryData<string, float[], int> Scenes => new()
    {
        { "upright-perspective", [260, 210, 1110, 160, 1180, 700, 300, 790], 0 },
        { "turned-90", [960, 120, 980, 900, 430, 880, 450, 100], 90 },
        { "turned-180", [1150, 780, 240, 800, 260, 230, 1130, 200], 180 },
        { "turned-270", [400, 900, 420, 110, 950, 130, 930, 890], 270 },
        { "steep-perspective", [300, 250, 1100, 130, 1150, 870, 260, 700], 0 },
        { "small-skew", [150, 120, 1230, 150, 1215, 830, 135, 800], 0 },
    };

    [Theory]
    [MemberData(nameof(Scenes))]
    public void Finds_the_card_corners_and_turns_it_upright(string name, float[] xy, int rotation)
    {
        var corners = Points(xy);
        var photo = scenes.Photo(name, corners, quality: 80);

        using var card = _preprocessor.Prepare(File.ReadAllBytes(photo));

        output.WriteLine($"{name}: found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}, " +
                         $"orientation {card.Orientation}");
        Assert.NotEqual(CardLocationMethod.FullFrame, card.Location.Method);
        AssertCorners(corners, card.Quad, tolerance: 4);
        Assert.Equal(rotation, card.CardRotationDegrees);
        Assert.Equal((1000, 630), (card.Card.Width, card.Card.Height));
    }

    [Fact]
    public void Finds_a_small_blurred_heavily_compressed_card()
    {
        var corners = Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var big = scenes.Photo("for-small", corners, quality: 95);
        // 1400×1000 → 560×400: the card is ~340 px wide, blurred, JPEG quality 40.
        var small = scenes.Derive("small.jpg", big, "-resize", "560x400!", "-blur", "0x1.2", "-quality", "40");

        using var card = _preprocessor.Prepare(File.ReadAllBytes(small));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        AssertCorners(corners.Select(p => new PointF(p.X * 0.4f, p.Y * 0.4f)).ToArray(), card.Quad, tolerance: 3);
        Assert.False(card.Orientation.UpsideDown);
    }

    [Fact]
    public void Finds_the_card_under_glare_and_uneven_light()
    {
        var corners = Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var plain = scenes.Photo("for-glare", corners, quality: 95);
        // A bright hot spot on the card's upper right and a shadow falling from the left.
        var lit = scenes.Derive("glare.jpg", plain,
            "(", "-size", "1400x1000", "radial-gradient:white-black", "-roll", "+250-150", "-level", "40%,100%", ")",
            "-compose", "screen", "-composite",
            "(", "-size", "1000x1400", "gradient:gray40-white", "-rotate", "90", ")",
            "-compose", "multiply", "-composite", "-quality", "85");

        using var card = _preprocessor.Prepare(File.ReadAllBytes(lit));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        AssertCorners(corners, card.Quad, tolerance: 5);
        Assert.False(card.Orientation.UpsideDown);
    }

    [Fact]
    public void Finds_the_corner_hidden_under_a_thumb_from_the_sides_that_remain()
    {
        var corners = Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var plain = scenes.Photo("for-thumb", corners, quality: 95);
        var thumb = scenes.Derive("thumb.jpg", plain, "-fill", "#b07a5a", "-draw", "ellipse 1120,160 70,110 0,360", "-quality", "85");

        using var card = _preprocessor.Prepare(File.ReadAllBytes(thumb));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        AssertCorners(corners, card.Quad, tolerance: 5);
    }

    [Fact]
    public void A_card_cut_by_the_frame_is_extended_to_its_full_size()
    {
        var corners = Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var full = scenes.Photo("for-cut", corners, quality: 95);
        // Crop the photo so that the card's left ~7 % is outside the frame.
        var cut = scenes.Derive("cut.jpg", full, "-crop", "1080x1000+320+0", "+repage", "-quality", "85");
        var expected = corners.Select(p => new PointF(p.X - 320, p.Y)).ToArray();

        using var card = _preprocessor.Prepare(File.ReadAllBytes(cut));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        // Visible corners exactly; the hidden ones are extrapolated from the card's aspect, which perspective makes
        // approximate (without the extension they would sit on the frame edge, 60 px off, and the card be squeezed).
        AssertCorners(expected[1..3], new Quad(card.Quad.C1, card.Quad.C2, default, default), tolerance: 4, count: 2);
        AssertCorners([expected[0], expected[3]], new Quad(card.Quad.C0, card.Quad.C3, default, default), tolerance: 25, count: 2);
        Assert.True(card.Quad.C0.X < -30, $"top-left corner not extended: {card.Quad.C0}");
        Assert.Equal(0, card.CardRotationDegrees);
    }

    [Fact]
    public void Finds_a_pale_card_on_white_paper_under_a_light_gradient()
    {
        var corners = Points([300, 230, 1080, 190, 1120, 690, 320, 760]);
        var paper = scenes.Derive("paper.png", "-size", "1000x1400", "gradient:#f4f4f2-#b8b8b4", "-rotate", "-90",
            "-seed", "5", "-attenuate", "0.3", "+noise", "Gaussian");
        var pale = scenes.Derive("pale-card.png", scenes.CardPng, "-modulate", "108,60");
        var photo = scenes.Photo("pale-on-paper", corners, quality: 80, source: pale, background: paper);

        using var card = _preprocessor.Prepare(File.ReadAllBytes(photo));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        AssertCorners(corners, card.Quad, tolerance: 4);
        Assert.False(card.Orientation.UpsideDown);
    }

    [Fact]
    public void A_scan_on_white_paper_is_found_inside_its_margin()
    {
        var scan = scenes.Derive("scan.png", scenes.CardPng, "-bordercolor", "white", "-border", "60x45");
        var corners = Points([60, 45, 1060, 45, 1060, 675, 60, 675]);

        using var card = _preprocessor.Prepare(File.ReadAllBytes(scan));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        AssertCorners(corners, card.Quad, tolerance: 3);
        Assert.Equal(0, card.CardRotationDegrees);
    }

    [Theory]
    [InlineData("tight-crop.png")]
    [InlineData("tight-crop-portrait.png", "-rotate", "90")]
    [InlineData("tight-crop-trimmed.jpg", "-gravity", "center", "-crop", "97%x96%+0+0", "+repage", "-quality", "85")]
    public void A_tight_crop_is_taken_as_the_card(string name, params string[] ops)
    {
        var crop = scenes.Derive(name, scenes.CardPng, ops);
        var (w, h) = SyntheticCardScenes.Size(crop);

        using var card = _preprocessor.Prepare(File.ReadAllBytes(crop));

        output.WriteLine($"{w}x{h}: {card.Location.Method} {card.Quad}");
        Assert.Equal(CardLocationMethod.FullFrame, card.Location.Method);
        Assert.Equal(w > h ? 0 : 90, card.CardRotationDegrees % 180);
        Assert.Equal((1000, 630), (card.Card.Width, card.Card.Height));
    }

    /// <summary>Cloth the colour of the card's print, along every side of the frame or all but one.</summary>
    public static TheoryData<string, string, string[], float[]> OnBlueCloth => new()
    {
        // Along every side: only the frame's 4:3 shape says this is a photo of a card, not a crop of one.
        { "on-blue-cloth", "1400x1050", [], [230, 190, 1150, 170, 1190, 760, 250, 800] },
        // A card-shaped frame (1270×800), the table showing along one side.
        { "card-shaped-frame", "1270x800", ["-fill", "#8a6a4a", "-draw", "rectangle 1150,0 1270,800"], [70, 60, 1080, 75, 1070, 720, 80, 710] },
    };

    [Theory]
    [MemberData(nameof(OnBlueCloth))]
    public void A_photo_of_a_card_on_cloth_of_its_colour_is_searched_not_taken_as_a_crop(string name, string size, string[] table, float[] xy)
    {
        var cloth = scenes.Derive(name + "-cloth.png", "-size", [size, "xc:#b7d4ea", "-seed", "5", "-attenuate", "0.3", "+noise", "Gaussian", .. table]);
        var corners = Points(xy);
        var photo = scenes.Photo(name, corners, quality: 85, background: cloth);

        using var card = _preprocessor.Prepare(File.ReadAllBytes(photo));

        output.WriteLine($"found {card.Quad} by {card.Location.Method} score {card.Location.Score:0.00}");
        Assert.NotEqual(CardLocationMethod.FullFrame, card.Location.Method);
        AssertCorners(corners, card.Quad, tolerance: 4);
    }

    internal static PointF[] Points(float[] xy) =>
        Enumerable.Range(0, 4).Select(i => new PointF(xy[2 * i], xy[2 * i + 1])).ToArray();

    internal static void AssertCorners(PointF[] expected, Quad found, double tolerance, int count = 4)
    {
        for (var i = 0; i < count; i++)
        {
            var distance = Math.Sqrt(Math.Pow(expected[i].X - found[i].X, 2) + Math.Pow(expected[i].Y - found[i].Y, 2));
            Assert.True(distance <= tolerance,
                $"corner {i}: expected ({expected[i].X},{expected[i].Y}), found ({found[i].X:0.0},{found[i].Y:0.0}), {distance:0.0} px off");
        }
    }
}
