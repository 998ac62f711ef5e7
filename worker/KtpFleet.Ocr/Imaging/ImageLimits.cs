namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// What an uploaded image must satisfy before it is decoded. Defaults:
/// <list type="bullet">
/// <item>at most 15 MiB: a 12 MP phone JPEG is 3–6 MB, so 15 MiB leaves room for PNG scans;</item>
/// <item>at most 40 MP, read from the file header, so a decompression bomb (a tiny PNG claiming 30000×30000) is
/// refused before a pixel is allocated; 40 MP covers 8K photos;</item>
/// <item>at least 200 px on the long side and 126 px on the short one (the card's aspect at 200 px): below that the
/// NIK digits are under ~9 px tall and no field can be read;</item>
/// <item>at least 1 KiB: no genuine photo or scan of a card is smaller.</item>
/// </list>
/// </summary>
public sealed record ImageLimits
{
    public static ImageLimits Default { get; } = new();

    public long MaxBytes { get; init; } = 15L * 1024 * 1024;
    public long MaxPixels { get; init; } = 40_000_000;
    public int MinLongSide { get; init; } = 200;
    public int MinShortSide { get; init; } = 126;
    public int MinBytes { get; init; } = 1024;
}
