using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Layout;

namespace KtpFleet.Corpus.Capture;

public readonly record struct Point(double X, double Y);

/// <summary>
/// Everything random about one capture, drawn up front so it is recorded in the ground truth and the tools only
/// execute it. <see cref="Corners"/> are where the card's TL, TR, BR, BL corners land in the output image.
/// </summary>
public sealed record CapturePlan
{
    public required CaptureProfile Profile { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required IReadOnlyList<Point> Corners { get; init; }
    /// <summary>Quarter turns of the whole picture, in degrees clockwise: 0, 90, 180, 270.</summary>
    public required int Rotation { get; init; }
    public required double InPlaneAngle { get; init; }
    public required double YawDegrees { get; init; }
    public required double PitchDegrees { get; init; }
    public required string Background { get; init; }
    public required double BlurSigma { get; init; }
    public required double Noise { get; init; }
    /// <summary>Darkest point of the lighting gradient (1 = even light).</summary>
    public required double LightFloor { get; init; }
    public required double Glare { get; init; }
    public required Point GlareCentre { get; init; }
    public required double GlareRadius { get; init; }
    public required string Tint { get; init; }
    public required double TintAmount { get; init; }
    /// <summary>JPEG quality, or 0 for a lossless PNG.</summary>
    public required int JpegQuality { get; init; }
    public required int ToolSeed { get; init; }

    public string Extension => JpegQuality == 0 ? "png" : "jpg";
}

/// <summary>Draws a <see cref="CapturePlan"/> for a profile: card pose (3-D tilt through a pinhole camera), light, blur, noise, compression.</summary>
public static class CapturePlanner
{
    private const double CardW = CanonicalCard.Width;
    private const double CardH = CanonicalCard.Height;

    public static CapturePlan Plan(CaptureProfile profile, CardRandom rng) => profile switch
    {
        CaptureProfile.Clean => new CapturePlan
        {
            Profile = profile, Width = (int)CardW, Height = (int)CardH,
            Corners = [new(0, 0), new(CardW, 0), new(CardW, CardH), new(0, CardH)],
            Rotation = 0, InPlaneAngle = 0, YawDegrees = 0, PitchDegrees = 0, Background = "none", BlurSigma = 0,
            Noise = 0, LightFloor = 1, Glare = 0, GlareCentre = new(0, 0), GlareRadius = 0, Tint = "none", TintAmount = 0,
            JpegQuality = 0, ToolSeed = rng.ToolSeed(),
        },
        CaptureProfile.Scan => Posed(profile, rng, canvas: (1240, 860), cardWidth: rng.Between(960, 1040), roll: rng.Jitter(3),
            yaw: 0, pitch: 0, quarterTurns: 0, background: "scanner", blur: rng.Between(0.3, 0.8), noise: rng.Between(0.2, 0.5),
            lightFloor: rng.Between(0.93, 1.0), glare: 0, tintAmount: 0, quality: rng.Between(75, 92)),
        CaptureProfile.Photo => Posed(profile, rng, canvas: (1024, 768), cardWidth: rng.Between(560, 820), roll: rng.Jitter(8),
            yaw: rng.Jitter(22), pitch: rng.Jitter(18), quarterTurns: rng.PickWeighted<int>([(0, 4), (1, 2), (2, 1), (3, 2)]),
            background: rng.Pick(Backgrounds), blur: rng.Between(0.4, 1.3), noise: rng.Between(0.4, 1.0),
            lightFloor: rng.Between(0.6, 0.92), glare: rng.Between(0.0, 0.5), tintAmount: rng.Between(0, 10), quality: rng.Between(50, 90)),
        CaptureProfile.Hard => Posed(profile, rng, canvas: (800, 600), cardWidth: rng.Between(420, 560), roll: rng.Jitter(15),
            yaw: rng.Jitter(28), pitch: rng.Jitter(24), quarterTurns: rng.Next(4),
            background: rng.Pick(Backgrounds), blur: rng.Between(0.8, 1.5), noise: rng.Between(0.8, 1.4),
            lightFloor: rng.Between(0.45, 0.7), glare: rng.Between(0.35, 0.7), tintAmount: rng.Between(5, 15), quality: rng.Between(50, 62)),
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    public static readonly IReadOnlyList<string> Backgrounds = ["wood", "fabric", "desk", "paper"];

    private static CapturePlan Posed(CaptureProfile profile, CardRandom rng, (int W, int H) canvas, double cardWidth, double roll,
        double yaw, double pitch, int quarterTurns, string background, double blur, double noise, double lightFloor,
        double glare, double tintAmount, int quality)
    {
        // Perspective: total tilt capped at ~30° however yaw and pitch combine.
        var tilt = Math.Sqrt(yaw * yaw + pitch * pitch);
        if (tilt > 30) { yaw *= 30 / tilt; pitch *= 30 / tilt; }
        var quad = Project(yaw, pitch, roll);

        // Scale so the card's widest extent is cardWidth, then place it at random with a margin.
        var (minX, maxX) = (quad.Min(p => p.X), quad.Max(p => p.X));
        var (minY, maxY) = (quad.Min(p => p.Y), quad.Max(p => p.Y));
        var s = Math.Min(cardWidth / (maxX - minX), 0.9 * canvas.H / (maxY - minY));
        var spanX = (maxX - minX) * s;
        var spanY = (maxY - minY) * s;
        var ox = rng.Between(0.05 * canvas.W, Math.Max(0.05 * canvas.W, canvas.W - spanX - 0.05 * canvas.W)) - minX * s;
        var oy = rng.Between(0.05 * canvas.H, Math.Max(0.05 * canvas.H, canvas.H - spanY - 0.05 * canvas.H)) - minY * s;
        var upright = quad.Select(p => new Point(p.X * s + ox, p.Y * s + oy)).ToList();

        // A picture taken sideways or upside down: rotate the whole frame by quarter turns (clockwise).
        var (w, h) = quarterTurns % 2 == 0 ? canvas : (canvas.H, canvas.W);
        var corners = upright.Select(p => TurnClockwise(p, canvas.W, canvas.H, quarterTurns)).ToList();

        return new CapturePlan
        {
            Profile = profile, Width = w, Height = h,
            Corners = [.. corners.Select(p => new Point(Math.Round(p.X, 2), Math.Round(p.Y, 2)))],
            Rotation = quarterTurns * 90,
            InPlaneAngle = Math.Round(roll, 3), YawDegrees = Math.Round(yaw, 3), PitchDegrees = Math.Round(pitch, 3),
            Background = background, BlurSigma = Math.Round(blur, 3), Noise = Math.Round(noise, 3),
            LightFloor = Math.Round(lightFloor, 3), Glare = Math.Round(glare, 3),
            GlareCentre = new Point(Math.Round(rng.Between(0.15, 0.85) * w, 1), Math.Round(rng.Between(0.15, 0.85) * h, 1)),
            GlareRadius = Math.Round(rng.Between(0.08, 0.2) * Math.Max(w, h), 1),
            Tint = rng.Pick(["#ffcc88", "#88bbff", "#ffeecc"]), TintAmount = Math.Round(tintAmount, 2),
            JpegQuality = quality, ToolSeed = rng.ToolSeed(),
        };
    }

    /// <summary>The card's corners after rotating it in 3-D (pitch about X, yaw about Y, roll about Z) seen by a pinhole camera.</summary>
    internal static List<Point> Project(double yawDeg, double pitchDeg, double rollDeg)
    {
        var (yaw, pitch, roll) = (yawDeg * Math.PI / 180, pitchDeg * Math.PI / 180, rollDeg * Math.PI / 180);
        var distance = 2.2 * CardW; // a phone held ~25 cm from an 8.6 cm card with a normal lens
        var result = new List<Point>();
        foreach (var (x, y) in new[] { (-CardW / 2, -CardH / 2), (CardW / 2, -CardH / 2), (CardW / 2, CardH / 2), (-CardW / 2, CardH / 2) })
        {
            // roll (in-plane), then pitch, then yaw
            var x1 = x * Math.Cos(roll) - y * Math.Sin(roll);
            var y1 = x * Math.Sin(roll) + y * Math.Cos(roll);
            var y2 = y1 * Math.Cos(pitch);
            var z2 = y1 * Math.Sin(pitch);
            var x3 = x1 * Math.Cos(yaw) + z2 * Math.Sin(yaw);
            var z3 = -x1 * Math.Sin(yaw) + z2 * Math.Cos(yaw);
            var z = distance + z3;
            result.Add(new Point(distance * x3 / z, distance * y2 / z));
        }
        return result;
    }

    /// <summary>Where a point of a W×H frame lands after turning the frame clockwise by quarter turns.</summary>
    internal static Point TurnClockwise(Point p, double w, double h, int quarterTurns) => (quarterTurns % 4) switch
    {
        0 => p,
        1 => new Point(h - p.Y, p.X),
        2 => new Point(w - p.X, h - p.Y),
        _ => new Point(p.Y, w - p.X),
    };
}
