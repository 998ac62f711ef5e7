using System.Drawing;
using System.Globalization;

namespace KtpFleet.Ocr.Tests.TestSupport;

/// <summary>
/// Deterministic test photos: a card-like image (the blank KTP template with invented values, a photo block and a
/// signature drawn on it) placed with a perspective distortion onto a cluttered background, with known corners.
/// Shared by a test class through <c>IClassFixture</c>; images are made once and cached in a scratch directory.
/// </summary>
public sealed class SyntheticCardScenes : IDisposable
{
    public const int CardWidth = 1000;
    public const int CardHeight = 630;

    private readonly Lazy<string> _card;
    private readonly Lazy<string> _background;

    public SyntheticCardScenes()
    {
        Directory = Magick.NewScratchDirectory("scenes");
        _card = new Lazy<string>(RenderCard);
        _background = new Lazy<string>(RenderBackground);
    }

    public string Directory { get; }

    /// <summary>The upright card, 1000×630 PNG.</summary>
    public string CardPng => _card.Value;

    public string Background => _background.Value;

    /// <summary>
    /// Places the card so that its top-left, top-right, bottom-right and bottom-left corners land on
    /// <paramref name="corners"/> (in that order) on the background, then applies <paramref name="post"/> options
    /// (e.g. "-blur", "0x1.2") and writes a JPEG of the given quality. <paramref name="source"/> and
    /// <paramref name="background"/> replace the generated card and the cluttered table. Returns the file path.
    /// </summary>
    public string Photo(string name, PointF[] corners, int quality = 85, string? source = null, string? background = null,
        params string[] post)
    {
        var path = Path.Combine(Directory, name + ".jpg");
        if (File.Exists(path)) return path;
        var src = source ?? CardPng;
        var (w, h) = source is null ? (CardWidth, CardHeight) : Size(src);
        var f = CultureInfo.InvariantCulture;
        var mapping = string.Join("  ", new[] { (0, 0), (w, 0), (w, h), (0, h) }.Select((p, i) =>
            string.Create(f, $"{p.Item1},{p.Item2} {corners[i].X},{corners[i].Y}")));
        string[] args = [background ?? Background, "(", src, "-alpha", "set", "-virtual-pixel", "transparent", "+distort", "Perspective", mapping, ")",
            "-layers", "flatten", .. post, "-quality", quality.ToString(f), path];
        Magick.Convert(args);
        return path;
    }

    /// <summary>Runs convert on <paramref name="input"/> with <paramref name="ops"/>, output to a cached file.</summary>
    public string Derive(string name, string input, params string[] ops)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path)) Magick.Convert([input, .. ops, path]);
        return path;
    }

    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var header = KtpFleet.Ocr.Imaging.ImageHeaderReader.Read(bytes);
        return (header.Width, header.Height);
    }

    private string RenderCard()
    {
        var path = Path.Combine(Directory, "card.png");
        string[] values = ["BUDI SANTOSO", "BANDUNG, 01-02-1980", "LAKI-LAKI", "JL. MERDEKA NO. 10", "001/002", "CIBIRU",
            "CIBIRU WETAN", "ISLAM", "KAWIN", "KARYAWAN SWASTA", "WNI", "SEUMUR HIDUP"];
        var args = new List<string>
        {
            RepoPaths.KtpTemplate, "-resize", $"{CardWidth}x{CardHeight}!",
            "-font", "Liberation-Sans", "-fill", "black", "-pointsize", "30",
            "-annotate", "+330+50", "PROVINSI JAWA BARAT", "-annotate", "+350+92", "KABUPATEN BANDUNG",
            "-font", "OCRA", "-pointsize", "34", "-annotate", "+290+172", "3204123456780001",
            "-font", "Liberation-Sans", "-pointsize", "24",
        };
        for (var i = 0; i < values.Length; i++) args.AddRange(["-annotate", $"+275+{210 + i * 30.6:0}", values[i]]);
        args.AddRange([
            "-fill", "#c8453c", "-draw", "rectangle 735,175 935,405",
            "-fill", "#2a2a2a", "-draw", "circle 835,270 835,225", "-draw", "ellipse 835,400 80,70 180,360",
            "-fill", "black", "-pointsize", "22", "-annotate", "+785+450", "BANDUNG", "-annotate", "+770+478", "01-02-2015",
            "-fill", "none", "-stroke", "black", "-strokewidth", "3", "-draw", "path 'M 760,540 C 800,500 840,580 900,520'",
            path,
        ]);
        Magick.Convert([.. args]);
        return path;
    }

    private string RenderBackground()
    {
        var path = Path.Combine(Directory, "background.png");
        // A textured, cluttered table: plasma colours, sensor noise, a dark object, a pale disc, a cable across.
        Magick.Convert("-size", "350x250", "-seed", "7", "plasma:tan-sienna", "-resize", "1400x1000!", "-blur", "0x2",
            "-seed", "3", "-attenuate", "0.4", "+noise", "Gaussian",
            "-fill", "#445566", "-draw", "rectangle 50,700 400,950",
            "-fill", "#ddeeff", "-draw", "circle 1250,150 1250,60",
            "-stroke", "#222222", "-strokewidth", "4", "-draw", "line 0,300 1400,420", path);
        return path;
    }

    public void Dispose()
    {
        // KTP_KEEP_TEST_IMAGES=1 keeps them for a look.
        if (Environment.GetEnvironmentVariable("KTP_KEEP_TEST_IMAGES") == "1") return;
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
