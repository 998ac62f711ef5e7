using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Tests.Reference;

public class VocabularyTests
{
    private static readonly Vocabulary V = Vocabulary.Shared;

    [Fact]
    public void Loads_enumerations_upper_case()
    {
        Assert.Equal(["LAKI-LAKI", "PEREMPUAN"], V.Sexes);
        Assert.Equal(["MALE", "FEMALE"], V.SexesEnglish);
        Assert.Contains("KEPERCAYAAN TERHADAP TUHAN YME", V.Religions);
        Assert.Contains("CERAI HIDUP", V.MaritalStatuses);
        Assert.Contains("-", V.BloodTypes);
    }

    [Fact]
    public void Loads_occupations_as_printed_with_short_forms()
    {
        Assert.Contains("PELAJAR/MAHASISWA", V.Occupations);
        Assert.Contains("PEGAWAI NEGERI SIPIL (PNS)", V.Occupations);
        Assert.Contains("PEGAWAI NEGERI SIPIL", V.Occupations);
        Assert.Contains("WIRASWASTA", V.Occupations);
        Assert.DoesNotContain("KARYAWAN", V.Occupations);
        Assert.True(V.Occupations.Count >= 88);
        Assert.All(V.Occupations, o => Assert.Equal(o.ToUpperInvariant(), o));
    }
}
