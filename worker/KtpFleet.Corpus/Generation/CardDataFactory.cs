using System.Globalization;
using KtpFleet.Corpus.Data;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Generation;

/// <summary>
/// Draws internally consistent KTP data: NIK = district code + DDMMYY birth date (day + 40 for women) + serial,
/// headers and Kecamatan from the same district, Kel/Desa from that district's villages. A fraction of cards get
/// exactly one deliberate inconsistency, recorded with the checks it must fail.
/// </summary>
public sealed class CardDataFactory(RegionData regions, Vocabulary vocabulary, double inconsistentFraction = 0.10,
    double foreignerFraction = 0.04)
{

    public CardData Create(string id, CardRandom rng)
    {
        var district = rng.Pick(regions.Districts);
        var foreigner = rng.Chance(foreignerFraction);
        var female = rng.Chance(0.5);
        var issueDate = RandomDate(rng, new DateOnly(2011, 1, 1), new DateOnly(2025, 6, 30));
        var birth = RandomDate(rng, issueDate.AddYears(-80), issueDate.AddYears(-17));

        var inconsistency = rng.Chance(inconsistentFraction)
            ? rng.Pick([Inconsistency.BirthDate, Inconsistency.District, Inconsistency.Regency, Inconsistency.Province, Inconsistency.Sex])
            : Inconsistency.None;

        var nikDistrict = inconsistency switch
        {
            Inconsistency.District => OtherDistrict(rng, district, d => d.Regency == district.Regency),
            Inconsistency.Regency => OtherDistrict(rng, district, d => d.Regency.Province == district.Regency.Province
                && Far(d.Regency.ShortName, district.Regency.ShortName)),
            Inconsistency.Province => OtherDistrict(rng, district, d => Far(d.Regency.Province.Name, district.Regency.Province.Name)
                && Far(d.Regency.ShortName, district.Regency.ShortName)),
            _ => district,
        };
        if (nikDistrict == district && inconsistency is Inconsistency.District or Inconsistency.Regency)
        {
            // A province with one regency (or a regency with one district) cannot host this inconsistency.
            inconsistency = Inconsistency.BirthDate;
        }

        var nikBirth = inconsistency == Inconsistency.BirthDate ? ShiftedDate(rng, birth) : birth;
        var nikFemale = inconsistency == Inconsistency.Sex ? !female : female;
        var nik = nikDistrict.Code
                  + (nikBirth.Day + (nikFemale ? 40 : 0)).ToString("00", CultureInfo.InvariantCulture)
                  + nikBirth.ToString("MMyy", CultureInfo.InvariantCulture)
                  + rng.PickWeighted<int>([(rng.Between(1, 9), 6), (rng.Between(10, 99), 3), (rng.Between(100, 2999), 1)])
                      .ToString("0000", CultureInfo.InvariantCulture);

        var fields = new Dictionary<string, string>
        {
            [KtpField.Provinsi] = district.Regency.Province.Name,
            [KtpField.KabupatenKota] = district.Regency.PrintedName,
            [KtpField.Nik] = nik,
            [KtpField.Nama] = foreigner ? ForeignName(rng, female) : IndonesianName(rng, female),
            [KtpField.TempatLahir] = BirthPlace(rng, district, foreigner),
            [KtpField.TanggalLahir] = Format(birth),
            [KtpField.JenisKelamin] = foreigner ? vocabulary.SexesEnglish[female ? 1 : 0] : vocabulary.Sexes[female ? 1 : 0],
            [KtpField.GolonganDarah] = rng.PickWeighted<string>([("-", 30), ("O", 25), ("A", 18), ("B", 18), ("AB", 6),
                (rng.Pick(vocabulary.BloodTypes.Where(b => b.EndsWith('+') || b.EndsWith('-') && b != "-").ToList()), 3)]),
            [KtpField.Alamat] = Address(rng),
            [KtpField.RtRw] = $"{rng.PickWeighted<int>([(rng.Between(1, 9), 8), (rng.Between(10, 30), 2)]):000}/{rng.Between(1, 15):000}",
            [KtpField.KelDesa] = rng.Pick(district.Villages),
            [KtpField.Kecamatan] = district.Name,
            [KtpField.Agama] = foreigner ? rng.Pick(vocabulary.ReligionsEnglish) : Religion(rng),
            [KtpField.StatusPerkawinan] = MaritalStatus(rng, birth, issueDate, foreigner),
            [KtpField.Pekerjaan] = Occupation(rng, birth, issueDate),
            [KtpField.Kewarganegaraan] = foreigner ? rng.Pick(NameLists.Countries) : "WNI",
            [KtpField.BerlakuHingga] = Validity(rng, birth, issueDate, foreigner),
            [KtpField.TempatTerbit] = district.Regency.ShortName,
            [KtpField.TanggalTerbit] = Format(issueDate),
        };

        return new CardData
        {
            Id = id,
            Fields = fields,
            NikDistrict = nikDistrict,
            PrintedDistrict = district,
            BirthDate = birth,
            IsFemale = female,
            IsForeigner = foreigner,
            Inconsistency = inconsistency,
            ExpectedFailedChecks = ExpectedChecks(inconsistency),
        };
    }

    public static IReadOnlyList<string> ExpectedChecks(Inconsistency inconsistency) => inconsistency switch
    {
        Inconsistency.BirthDate => [CheckNames.BirthDate],
        Inconsistency.District => [CheckNames.District],
        Inconsistency.Regency => [CheckNames.Regency, CheckNames.District],
        Inconsistency.Province => [CheckNames.Province, CheckNames.Regency, CheckNames.District],
        Inconsistency.Sex => [CheckNames.Sex],
        _ => [],
    };

    public static string Format(DateOnly date) => date.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    private District OtherDistrict(CardRandom rng, District printed, Func<District, bool> accept)
    {
        // Rejection sampling over the whole table keeps this O(1) expected for the common cases.
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var candidate = rng.Pick(regions.Districts);
            if (candidate.Code != printed.Code && Far(candidate.Name, printed.Name) && accept(candidate)) return candidate;
        }
        return printed;
    }

    /// <summary>
    /// Names the extractor's fuzzy region matching cannot confuse (with a margin), so an injected region mismatch
    /// fails exactly the checks it is labelled with and no others.
    /// </summary>
    internal static bool Far(string a, string b) =>
        OcrEditDistance.Distance(a, b) > Snapper.Threshold(a.Length, b.Length) + 1;

    private static DateOnly RandomDate(CardRandom rng, DateOnly from, DateOnly to) =>
        from.AddDays(rng.Next(to.DayNumber - from.DayNumber + 1));

    private static DateOnly ShiftedDate(CardRandom rng, DateOnly birth)
    {
        // Typical real-world mismatches: a wrong day, a wrong month, or a wrong year.
        return rng.Next(3) switch
        {
            0 => birth.AddDays(rng.Pick([-9, -3, -1, 1, 2, 10])),
            1 => birth.AddMonths(rng.Pick([-2, -1, 1, 3])),
            _ => birth.AddYears(rng.Pick([-2, -1, 1, 5])),
        };
    }

    private static string IndonesianName(CardRandom rng, bool female)
    {
        var given = female ? NameLists.FemaleGiven : NameLists.MaleGiven;
        var parts = rng.PickWeighted<int>([(1, 2), (2, 5), (3, 3), (4, 1)]);
        var name = new List<string> { rng.Pick(given) };
        while (name.Count < parts)
        {
            var next = rng.Chance(0.5) ? rng.Pick(NameLists.FamilyOrSecond) : rng.Pick(given);
            if (!name.Contains(next)) name.Add(next);
        }
        return string.Join(' ', name);
    }

    private static string ForeignName(CardRandom rng, bool female) =>
        $"{rng.Pick(female ? NameLists.ForeignFemaleGiven : NameLists.ForeignMaleGiven)} {rng.Pick(NameLists.ForeignFamily)}";

    private string BirthPlace(CardRandom rng, District home, bool foreigner)
    {
        if (foreigner) return rng.Pick(["SYDNEY", "TOKYO", "SHANGHAI", "AMSTERDAM", "NEW YORK", "SEOUL", "LONDON", "KUALA LUMPUR"]);
        if (rng.Chance(0.35)) return home.Regency.ShortName;
        if (rng.Chance(0.25)) return rng.Pick(home.Villages);
        return rng.Pick(regions.Districts).Regency.ShortName;
    }

    private static string Address(CardRandom rng)
    {
        var number = rng.Between(1, 250).ToString(CultureInfo.InvariantCulture) + (rng.Chance(0.15) ? rng.Pick(["A", "B", "C"]) : "");
        return rng.Next(5) switch
        {
            0 => $"{rng.Pick(NameLists.Hamlets)}",
            1 => $"{rng.Pick(NameLists.Hamlets)} NO. {number}",
            2 => $"{rng.Pick(NameLists.BlockPrefixes)} {rng.Pick(NameLists.StreetNames)} GG. {rng.Pick(NameLists.StreetNames)} NO. {number}",
            3 => $"PERUM {rng.Pick(NameLists.StreetNames)} INDAH BLOK {(char)('A' + rng.Next(8))}{rng.Between(1, 30)} NO. {number}",
            _ => $"{rng.Pick(NameLists.BlockPrefixes)} {rng.Pick(NameLists.StreetNames)} NO. {number}",
        };
    }

    private static string Religion(CardRandom rng) => rng.PickWeighted<string>([
        ("ISLAM", 80), ("KRISTEN", 7), ("KATOLIK", 2), ("KATHOLIK", 1), ("HINDU", 2), ("BUDHA", 1), ("BUDDHA", 0.5),
        ("KONGHUCU", 0.3), ("KEPERCAYAAN TERHADAP TUHAN YME", 0.3)]);

    private static string MaritalStatus(CardRandom rng, DateOnly birth, DateOnly issued, bool foreigner)
    {
        var age = issued.Year - birth.Year;
        var index = age < 22 ? rng.PickWeighted<int>([(0, 9), (1, 1)])
            : rng.PickWeighted<int>([(0, 2), (1, 7), (2, 0.6), (3, age > 55 ? 2 : 0.4)]);
        return foreigner ? new[] { "SINGLE", "MARRIED", "DIVORCED", "WIDOWED" }[index]
            : new[] { "BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI" }[index];
    }

    private string Occupation(CardRandom rng, DateOnly birth, DateOnly issued)
    {
        var age = issued.Year - birth.Year;
        if (age < 23 && rng.Chance(0.6)) return "PELAJAR/MAHASISWA";
        if (age > 60 && rng.Chance(0.4)) return "PENSIUNAN";
        return rng.Chance(0.6)
            ? rng.PickWeighted<string>([("WIRASWASTA", 5), ("KARYAWAN SWASTA", 5), ("MENGURUS RUMAH TANGGA", 4),
                ("PETANI/PEKEBUN", 3), ("BELUM/TIDAK BEKERJA", 2), ("BURUH HARIAN LEPAS", 2), ("PEDAGANG", 1)])
            : rng.Pick(vocabulary.Occupations);
    }

    private static string Validity(CardRandom rng, DateOnly birth, DateOnly issued, bool foreigner)
    {
        // Cards before the 2016 lifetime rule ran to the holder's birthday five years on; foreigners' follow their permit.
        if (foreigner || (issued.Year < 2016 && rng.Chance(0.6)))
        {
            var year = issued.Year + (foreigner ? rng.Between(1, 5) : 5);
            var day = Math.Min(birth.Day, DateTime.DaysInMonth(year, birth.Month));
            return Format(new DateOnly(year, birth.Month, day));
        }
        return "SEUMUR HIDUP";
    }
}
