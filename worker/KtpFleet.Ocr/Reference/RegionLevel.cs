namespace KtpFleet.Ocr.Reference;

/// <summary>Kemendagri administrative levels; the value is also the number of the code's dotted parts.</summary>
public enum RegionLevel
{
    Province = 1,
    Regency = 2,
    District = 3,
    Village = 4,
}

public static class RegionCode
{
    /// <summary>Digits of a code at each level: 2 (province), 4 (regency/city), 6 (district), 10 (village).</summary>
    public static int Length(RegionLevel level) => level switch
    {
        RegionLevel.Province => 2,
        RegionLevel.Regency => 4,
        RegionLevel.District => 6,
        RegionLevel.Village => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static RegionLevel? LevelOf(string code) => code.Length switch
    {
        2 => RegionLevel.Province,
        4 => RegionLevel.Regency,
        6 => RegionLevel.District,
        10 => RegionLevel.Village,
        _ => null,
    };
}
