using System.Diagnostics;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Tests.Recognition;

/// <summary>A real raster made by ImageMagick (`convert`), read back as 8-bit gray pixels for the engine.</summary>
internal sealed class RenderedGray
{
    /// <summary>The sans face the test renders use (Debian's fonts-liberation).</summary>
    public const string Sans = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";

    /// <summary>The NIK face (Debian's fonts-ocr-a).</summary>
    public const string OcrA = "/usr/share/fonts/truetype/ocr-a/OCRA.ttf";

    public byte[] Pixels { get; }
    public int Width { get; }
    public int Height { get; }

    private RenderedGray(byte[] pixels, int width, int height)
    {
        Pixels = pixels;
        Width = width;
        Height = height;
    }

    /// <summary>Runs `convert -size WxH xc:BG ARGS... -colorspace gray -depth 8 gray:-` and reads the raw bytes.</summary>
    public static RenderedGray Convert(int width, int height, string background, params string[] args)
    {
        var psi = new ProcessStartInfo("convert") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-size", $"{width}x{height}", $"xc:{background}" }.Concat(args)
                     .Concat(["-colorspace", "gray", "-depth", "8", "gray:-"]))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"convert failed: {error}");
        var pixels = buffer.ToArray();
        Assert.Equal(width * height, pixels.Length);
        return new RenderedGray(pixels, width, height);
    }

    public T With<T>(Func<GrayImageView, T> use)
    {
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(Pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        try { return use(new GrayImageView(pin.AddrOfPinnedObject(), Width, Height, Width)); }
        finally { pin.Free(); }
    }
}
