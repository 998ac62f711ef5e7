namespace KtpFleet.Corpus.Capture;

/// <summary>How a card reaches the extractor: a digital render, a flatbed scan, a phone photo, or the worst of photos.</summary>
public enum CaptureProfile { Clean, Scan, Photo, Hard }

public static class CaptureProfiles
{
    public static readonly IReadOnlyList<CaptureProfile> All = [CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Hard];

    /// <summary>
    /// The fixed mix of <c>--profile mixed</c>: card i gets the profile at i mod 20 of this wheel (5 clean, 5 scan,
    /// 6 photo, 4 hard), so any prefix of a mixed corpus has all four in the same proportions.
    /// </summary>
    public static CaptureProfile MixedAt(int index) => MixedWheel[index % MixedWheel.Length];

    private static readonly CaptureProfile[] MixedWheel =
    [
        CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Hard,
        CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Hard,
        CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Hard,
        CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Hard,
        CaptureProfile.Clean, CaptureProfile.Scan, CaptureProfile.Photo, CaptureProfile.Photo,
    ];

    public static string Name(CaptureProfile p) => p.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out CaptureProfile profile) =>
        Enum.TryParse(text, ignoreCase: true, out profile) && Enum.IsDefined(profile);
}
