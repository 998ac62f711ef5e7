using System.Diagnostics;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Upload bytes in, upright canonical card out: decode (validated, EXIF applied) → locate the card → rectify →
/// orient. Thread-safe; each stage is its own class and can be used alone.
/// </summary>
public sealed class ImagePreprocessor(
    ImageDecoder? decoder = null,
    CardLocator? locator = null,
    CardRectifier? rectifier = null,
    OrientationDetector? orientation = null)
{
    private readonly ImageDecoder _decoder = decoder ?? new ImageDecoder();
    private readonly CardLocator _locator = locator ?? new CardLocator();
    private readonly CardRectifier _rectifier = rectifier ?? new CardRectifier();
    private readonly OrientationDetector _orientation = orientation ?? new OrientationDetector();

    /// <exception cref="KtpImageException">the bytes are not a usable image</exception>
    public PreparedCard Prepare(ReadOnlyMemory<byte> upload) => Prepare(upload, wholeFrame: false);

    /// <summary>
    /// Takes the whole image as the card (a scan or tight crop) without looking for an outline: the fallback when
    /// the outline the finder chose turns out not to hold a card.
    /// </summary>
    public PreparedCard PrepareWholeFrame(ReadOnlyMemory<byte> upload) => Prepare(upload, wholeFrame: true);

    private PreparedCard Prepare(ReadOnlyMemory<byte> upload, bool wholeFrame)
    {
        var timings = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        using var decoded = _decoder.Decode(upload.Span);
        Lap(timings, "decode", clock);

        var location = wholeFrame
            ? new CardLocation(Quad.FullFrame(decoded.Image.Width, decoded.Image.Height), 0, CardLocationMethod.FullFrame)
            : _locator.Locate(decoded.Image);
        Lap(timings, "locate_card", clock);

        var card = _rectifier.Rectify(decoded.Image, location.Quad);
        Lap(timings, "rectify", clock);

        try
        {
            var decision = _orientation.Detect(card);
            var quad = location.Quad;
            if (decision.UpsideDown)
            {
                using var upsideDown = card;
                card = upsideDown.Orient(2);
                quad = quad.Shifted(2);
            }
            Lap(timings, "orient", clock);
            return new PreparedCard(card, decoded.Header, location, quad, decision, timings);
        }
        catch
        {
            card.Dispose();
            throw;
        }
    }

    private static void Lap(Dictionary<string, double> timings, string stage, Stopwatch clock)
    {
        timings[stage] = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }
}
