using System.Globalization;
using System.Text;
using KtpFleet.Corpus.Rendering;
using KtpFleet.Ocr.Layout;

namespace KtpFleet.Corpus.Capture;

/// <summary>
/// Executes a <see cref="CapturePlan"/> with the real tools: librsvg renders the card and the surface it lies on,
/// ImageMagick warps the card into place (perspective through the planned corners), lights it unevenly, adds
/// glare, tint, blur, sensor noise and JPEG compression. Output bytes depend only on the plan (PNG time chunks are
/// stripped, ImageMagick gets the plan's seed and one thread).
/// </summary>
public static class CaptureRenderer
{
    public static void Render(string cardSvgPath, CapturePlan plan, string outputPath, string workDir)
    {
        var cardPng = Path.Combine(workDir, "card.png");
        if (plan.Profile == CaptureProfile.Clean)
        {
            ExternalTool.Run("rsvg-convert", ["-f", "png", "-o", cardPng, cardSvgPath]);
            ExternalTool.Run("convert", [cardPng, "-background", "white", "-alpha", "remove", "-alpha", "off",
                .. Deterministic, outputPath]);
            return;
        }

        // The card is drawn only as large as it will appear (with a margin for resampling), and warped only
        // over its bounding box: both keep ImageMagick's per-pixel cost to what the capture needs.
        var c = plan.Corners;
        var longestEdge = Enumerable.Range(0, 4).Max(i => Math.Sqrt(Math.Pow(c[i].X - c[(i + 1) % 4].X, 2) + Math.Pow(c[i].Y - c[(i + 1) % 4].Y, 2)));
        var zoom = Math.Clamp(1.3 * longestEdge / CanonicalCard.Width, 0.4, 1.0);
        var (cardW, cardH) = ((int)Math.Round(CanonicalCard.Width * zoom), (int)Math.Round(CanonicalCard.Height * zoom));
        ExternalTool.Run("rsvg-convert", ["-f", "png", "-w", I(cardW), "-h", I(cardH), "-o", cardPng, cardSvgPath]);

        var backgroundSvg = Path.Combine(workDir, "background.svg");
        var backgroundPng = Path.Combine(workDir, "background.png");
        File.WriteAllText(backgroundSvg, BackgroundSvg(plan));
        ExternalTool.Run("rsvg-convert", ["-f", "png", "-o", backgroundPng, backgroundSvg]);

        var size = $"{plan.Width}x{plan.Height}";
        var x0 = Math.Max(0, (int)Math.Floor(c.Min(p => p.X)) - 1);
        var y0 = Math.Max(0, (int)Math.Floor(c.Min(p => p.Y)) - 1);
        var x1 = Math.Min(plan.Width, (int)Math.Ceiling(c.Max(p => p.X)) + 1);
        var y1 = Math.Min(plan.Height, (int)Math.Ceiling(c.Max(p => p.Y)) + 1);
        var controlPoints = string.Join("  ", new[] { (0.0, 0.0), (cardW, 0.0), (cardW, cardH), (0.0, cardH) }
            .Select((src, i) => $"{I(src.Item1)},{I(src.Item2)} {I(c[i].X)},{I(c[i].Y)}"));

        var args = new List<string>
        {
            "(", backgroundPng, "-resize", size + "!", ")",
            "(", cardPng, "-alpha", "set", "-virtual-pixel", "transparent", "-define", $"distort:viewport={x1 - x0}x{y1 - y0}+{x0}+{y0}",
            "-distort", "Perspective", controlPoints, "+repage", ")",
            "-geometry", $"+{x0}+{y0}", "-compose", "over", "-composite", "-geometry", "+0+0",
        };

        if (plan.LightFloor < 1)
        {
            // Uneven light: a linear falloff across the frame in a direction fixed by the glare centre.
            var (gx, gy) = (plan.GlareCentre.X, plan.GlareCentre.Y);
            var (fx, fy) = (plan.Width - gx, plan.Height - gy);
            args.AddRange(["(", "-size", size, "xc:white", "-sparse-color", "Barycentric",
                $"{I(gx)},{I(gy)} gray(100%) {I(fx)},{I(fy)} gray({I(plan.LightFloor * 100)}%)", ")",
                "-compose", "multiply", "-composite"]);
        }
        if (plan.Glare > 0)
        {
            var r = plan.GlareRadius;
            args.AddRange(["(", "-size", size, "xc:black", "-fill", "white", "-draw",
                $"ellipse {I(plan.GlareCentre.X)},{I(plan.GlareCentre.Y)} {I(r)},{I(r * 0.6)} 0,360",
                "-resize", "10%", "-blur", "0x3", "-resize", size + "!", "-evaluate", "multiply", I(plan.Glare), ")",
                "-compose", "screen", "-composite"]);
        }
        args.AddRange(["-compose", "over"]);
        if (plan.TintAmount > 0) args.AddRange(["-fill", plan.Tint, "-colorize", I(plan.TintAmount) + "%"]);
        if (plan.BlurSigma > 0) args.AddRange(["-blur", "0x" + I(plan.BlurSigma)]);
        if (plan.Noise > 0) args.AddRange(["-seed", plan.ToolSeed.ToString(CultureInfo.InvariantCulture), "-attenuate", I(plan.Noise), "+noise", "Gaussian"]);
        args.AddRange(["-quality", plan.JpegQuality.ToString(CultureInfo.InvariantCulture), .. Deterministic, outputPath]);
        ExternalTool.Run("convert", args);
    }

    private static string I(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Options that keep timestamps and other per-run metadata out of the files.</summary>
    private static readonly string[] Deterministic =
        ["-strip", "+set", "date:create", "+set", "date:modify", "-define", "png:exclude-chunks=date,time"];

    private const int BackgroundScale = 3;

    private static string BackgroundSvg(CapturePlan plan)
    {
        var (w, h) = (plan.Width, plan.Height);
        var seed = plan.ToolSeed % 10_000;
        var (frequency, matrix, baseColour) = plan.Background switch
        {
            "wood" => ("0.004 0.09", "0 0 0 0 0.45  0 0 0 0 0.29  0 0 0 0 0.16  0 0 0 -0.9 0.9", "#8a5a33"),
            "fabric" => ("0.45", "0 0 0 0 0.25  0 0 0 0 0.28  0 0 0 0 0.34  0 0 0 -1.2 1.0", "#4f5b6b"),
            "desk" => ("0.02", "0 0 0 0 0.55  0 0 0 0 0.55  0 0 0 0 0.52  0 0 0 -0.6 0.5", "#cfcdc6"),
            "paper" => ("0.8", "0 0 0 0 0.7  0 0 0 0 0.7  0 0 0 0 0.68  0 0 0 -0.5 0.35", "#f1efe8"),
            _ => ("0.9", "0 0 0 0 0.8  0 0 0 0 0.8  0 0 0 0 0.8  0 0 0 -0.3 0.15", "#f6f6f3"), // scanner lid
        };
        // A scanner lid presses the card flat: no visible shadow there.
        var shadowOpacity = plan.Profile == CaptureProfile.Scan ? 0 : 0.35;
        const int shadowOffset = 9;
        const int shadowBlur = 9;
        var quad = string.Join(" ", plan.Corners.Select(p =>
            $"{(p.X + shadowOffset).ToString("0.#", CultureInfo.InvariantCulture)},{(p.Y + shadowOffset).ToString("0.#", CultureInfo.InvariantCulture)}"));
        var svg = new StringBuilder();
        // Drawn at a third of the frame size: turbulence is costly per pixel, and ImageMagick scales it up.
        svg.Append($"<svg xmlns='http://www.w3.org/2000/svg' width='{w / BackgroundScale}' height='{h / BackgroundScale}' viewBox='0 0 {w} {h}'>");
        svg.Append($"<filter id='tex' x='0' y='0' width='1' height='1'><feTurbulence type='fractalNoise' baseFrequency='{frequency}' numOctaves='3' seed='{seed}'/>"
                   + $"<feColorMatrix type='matrix' values='{matrix}'/></filter>");
        svg.Append($"<filter id='soft'><feGaussianBlur stdDeviation='{shadowBlur}'/></filter>");
        svg.Append($"<rect width='{w}' height='{h}' fill='{baseColour}'/>");
        svg.Append($"<rect width='{w}' height='{h}' filter='url(#tex)'/>");
        svg.Append($"<polygon points='{quad}' fill='#000' opacity='{shadowOpacity.ToString(CultureInfo.InvariantCulture)}' filter='url(#soft)'/>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
