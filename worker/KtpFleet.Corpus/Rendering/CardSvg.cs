using System.Globalization;
using System.Security;
using System.Text;
using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Layout;

namespace KtpFleet.Corpus.Rendering;

/// <summary>
/// Writes one card as SVG for librsvg: a re-drawing of the e-KTP background (pale blue with the globe, the
/// archipelago and guilloche waves, after the MIT template in shared/data/samples/ktp-template), the text runs of
/// the layout, an avatar silhouette on a red or blue photo background (no real faces), and a signature scrawl.
/// </summary>
public static class CardSvg
{
    public const double CornerRadius = 34;

    public static string Build(CardLayout layout, CardRandom rng)
    {
        var w = CanonicalCard.Width;
        var h = CanonicalCard.Height;
        var svg = new StringBuilder(24_000);
        svg.Append($"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}'>");
        svg.Append("<defs>");
        svg.Append($"<clipPath id='card'><rect width='{w}' height='{h}' rx='{CornerRadius}'/></clipPath>");
        var tint = rng.Between(-8, 8);
        svg.Append($"<linearGradient id='base' x1='0' y1='0' x2='1' y2='1'><stop offset='0' stop-color='{Rgb(214 + tint, 236, 248)}'/>"
                   + $"<stop offset='0.55' stop-color='{Rgb(196 + tint, 226, 243)}'/><stop offset='1' stop-color='{Rgb(206 + tint, 232, 246)}'/></linearGradient>");
        svg.Append("</defs>");

        svg.Append("<g clip-path='url(#card)'>");
        svg.Append($"<rect width='{w}' height='{h}' fill='url(#base)'/>");
        Globe(svg, rng);
        Waves(svg, rng);
        svg.Append("</g>");

        Photo(svg, layout.Photo, rng);
        Signature(svg, layout.Signature, rng);
        foreach (var run in layout.Runs) Text(svg, run);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Globe(StringBuilder svg, CardRandom rng)
    {
        var cx = 560 + rng.Jitter(20);
        var cy = 215 + rng.Jitter(15);
        var r = 330 + rng.Jitter(15);
        const string stroke = "#9fcbe6";
        svg.Append($"<g fill='none' stroke='{stroke}' stroke-width='2.2' opacity='0.55'>");
        svg.Append($"<circle cx='{F(cx)}' cy='{F(cy)}' r='{F(r)}' fill='#c3e1f2' fill-opacity='0.45'/>");
        foreach (var k in new[] { 0.25, 0.55, 0.82 })
            svg.Append($"<ellipse cx='{F(cx)}' cy='{F(cy)}' rx='{F(r * k)}' ry='{F(r)}'/>");
        for (var lat = -0.75; lat <= 0.8; lat += 0.25)
        {
            var yy = cy + lat * r;
            var half = r * Math.Sqrt(1 - lat * lat);
            svg.Append($"<path d='M{F(cx - half)} {F(yy)} Q{F(cx)} {F(yy + 18 * (1 - Math.Abs(lat)))} {F(cx + half)} {F(yy)}'/>");
        }
        svg.Append("</g>");

        // The archipelago: a band of irregular islands across the globe, Sumatra to Papua.
        svg.Append("<g fill='#a9d2ea' opacity='0.55'>");
        var islands = new[] { (0.30, 0.33, 90.0, 26.0, -35.0), (0.43, 0.50, 80, 16, -8), (0.52, 0.28, 70, 55, 10), (0.64, 0.36, 45, 40, 30),
            (0.60, 0.53, 38, 8, -5), (0.80, 0.42, 70, 30, 8) };
        foreach (var (fx, fy, rx, ry, rot) in islands)
        {
            var ix = cx - r + 2 * r * fx + rng.Jitter(6);
            var iy = cy - r + 2 * r * fy * 0.9 + rng.Jitter(6);
            svg.Append($"<path transform='translate({F(ix)} {F(iy)}) rotate({F(rot)})' d='{Blob(rx, ry, rng)}'/>");
        }
        svg.Append("</g>");
    }

    private static string Blob(double rx, double ry, CardRandom rng)
    {
        var d = new StringBuilder();
        const int n = 14;
        for (var i = 0; i <= n; i++)
        {
            var a = 2 * Math.PI * (i % n) / n;
            var k = 0.75 + 0.35 * rng.NextDouble();
            d.Append(i == 0 ? 'M' : 'L').Append(F(rx * k * Math.Cos(a))).Append(' ').Append(F(ry * k * Math.Sin(a))).Append(' ');
        }
        return d.Append('Z').ToString();
    }

    private static void Waves(StringBuilder svg, CardRandom rng)
    {
        // Guilloche: families of thin sine curves, denser towards the bottom of the card, as on the template.
        svg.Append("<g fill='none' stroke='#8fc3e2' stroke-width='1' opacity='0.45'>");
        var phase = rng.Between(0, 2 * Math.PI);
        var wavelength = rng.Between(380, 460);
        for (var i = 0; i < 34; i++)
        {
            var y0 = 300 + i * 10 + rng.Jitter(1);
            var amp = 18 + i * 0.8;
            var d = new StringBuilder($"M0 {F(y0 + amp * Math.Sin(phase + i * 0.12))}");
            for (var x = 20; x <= CanonicalCard.Width; x += 20)
                d.Append($" L{x} {F(y0 + amp * Math.Sin(phase + i * 0.12 + 2 * Math.PI * x / wavelength))}");
            svg.Append($"<path d='{d}'/>");
        }
        svg.Append("</g>");
    }

    private static void Photo(StringBuilder svg, Rect p, CardRandom rng)
    {
        // Photo backgrounds are red or blue on e-KTPs (by birth year parity); the avatar is a plain silhouette.
        var red = rng.Chance(0.5);
        var top = red ? "#f3d4d4" : "#d5e4f7";
        var bottom = red ? "#d9363a" : "#2f6fbe";
        var skin = rng.Pick(["#e6b995", "#d7a37c", "#c68d64", "#a8714c"]);
        var hair = rng.Pick(["#1d1a18", "#2b211b", "#3a2d25"]);
        var suit = rng.Pick(["#1f2630", "#2e3440", "#3b3b3b", "#f2f2f2"]);
        var cx = p.X + p.Width / 2 + rng.Jitter(6);
        var headY = p.Y + p.Height * 0.40;
        var headR = p.Width * 0.19 * (1 + rng.Jitter(0.06));

        svg.Append($"<defs><linearGradient id='pbg' x1='0' y1='0' x2='0' y2='1'><stop offset='0' stop-color='{top}'/><stop offset='1' stop-color='{bottom}'/></linearGradient>"
                   + $"<clipPath id='pclip'><rect x='{F(p.X)}' y='{F(p.Y)}' width='{F(p.Width)}' height='{F(p.Height)}'/></clipPath></defs>");
        svg.Append($"<rect x='{F(p.X)}' y='{F(p.Y)}' width='{F(p.Width)}' height='{F(p.Height)}' fill='url(#pbg)'/>");
        svg.Append("<g clip-path='url(#pclip)'>");
        var shoulderY = headY + headR * 1.55;
        svg.Append($"<path fill='{suit}' d='M{F(cx - p.Width * 0.48)} {F(p.Y + p.Height)} C{F(cx - p.Width * 0.46)} {F(shoulderY)} {F(cx - headR)} {F(shoulderY - 6)} {F(cx)} {F(shoulderY - 8)}"
                   + $" C{F(cx + headR)} {F(shoulderY - 6)} {F(cx + p.Width * 0.46)} {F(shoulderY)} {F(cx + p.Width * 0.48)} {F(p.Y + p.Height)} Z'/>");
        svg.Append($"<path fill='#ffffff' d='M{F(cx - headR * 0.45)} {F(shoulderY - 7)} L{F(cx)} {F(shoulderY + headR * 0.9)} L{F(cx + headR * 0.45)} {F(shoulderY - 7)} Z'/>");
        svg.Append($"<rect x='{F(cx - headR * 0.38)}' y='{F(headY + headR * 0.6)}' width='{F(headR * 0.76)}' height='{F(headR * 0.8)}' fill='{skin}'/>");
        svg.Append($"<ellipse cx='{F(cx)}' cy='{F(headY)}' rx='{F(headR * 0.86)}' ry='{F(headR * 1.08)}' fill='{skin}'/>");
        svg.Append($"<path fill='{hair}' d='M{F(cx - headR * 0.92)} {F(headY - headR * 0.05)} C{F(cx - headR * 1.0)} {F(headY - headR * 1.45)} {F(cx + headR * 1.0)} {F(headY - headR * 1.45)} {F(cx + headR * 0.92)} {F(headY - headR * 0.05)}"
                   + $" C{F(cx + headR * 0.7)} {F(headY - headR * 0.75)} {F(cx - headR * 0.7)} {F(headY - headR * 0.75)} Z'/>");
        svg.Append("</g>");
    }

    private static void Signature(StringBuilder svg, Rect s, CardRandom rng)
    {
        // A scrawl: a chain of loose cubic loops drifting right, then an underline flourish.
        var d = new StringBuilder();
        var x = s.X + rng.Between(5, 30);
        var y = s.Y + s.Height * rng.Between(0.45, 0.75);
        d.Append($"M{F(x)} {F(y)}");
        var strokes = rng.Between(4, 7);
        for (var i = 0; i < strokes; i++)
        {
            var nx = x + rng.Between(18, 34);
            var ny = s.Y + s.Height * rng.Between(0.35, 0.85);
            d.Append($" C{F(x + rng.Between(-10, 25))} {F(s.Y + rng.Between(0, s.Height * 0.3))} {F(nx + rng.Between(-25, 10))} {F(s.Y + s.Height * rng.Between(0.7, 1.0))} {F(nx)} {F(ny)}");
            x = nx;
            y = ny;
        }
        d.Append($" Q{F(x + 30)} {F(y - 25)} {F(s.X + rng.Between(0, 40))} {F(s.Y + s.Height * 0.8)}");
        svg.Append($"<path d='{d}' fill='none' stroke='#141414' stroke-width='{F(rng.Between(1.8, 2.8))}' stroke-linecap='round' stroke-linejoin='round'/>");
    }

    private static void Text(StringBuilder svg, TextRun run)
    {
        svg.Append($"<text x='{F(run.X)}' y='{F(run.Y)}' font-family='{run.Family}' font-size='{F(run.Size)}'");
        if (run.Bold) svg.Append(" font-weight='bold'");
        if (run.Centered) svg.Append(" text-anchor='middle'");
        svg.Append($" fill='{run.Fill}' xml:space='preserve'>{SecurityElement.Escape(run.Text)}</text>");
    }

    private static string Rgb(int r, int g, int b) => $"#{Math.Clamp(r, 0, 255):x2}{Math.Clamp(g, 0, 255):x2}{Math.Clamp(b, 0, 255):x2}";

    internal static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
