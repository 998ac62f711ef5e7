namespace KtpFleet.Ocr.Imaging;

/// <summary>How the card's outline was found.</summary>
public enum CardLocationMethod
{
    /// <summary>No card outline was convincing: the image is taken as a scan or tight crop of the card.</summary>
    FullFrame,
    /// <summary>A ring of edges around the card.</summary>
    Edges,
    /// <summary>The card's light-blue print against the background.</summary>
    Colour,
}

/// <summary>Where the card is in the (EXIF-upright) image, and how sure the finder is (0..1).</summary>
public sealed record CardLocation(Quad Quad, double Score, CardLocationMethod Method)
{
    public bool IsFullFrame => Method == CardLocationMethod.FullFrame;
}
