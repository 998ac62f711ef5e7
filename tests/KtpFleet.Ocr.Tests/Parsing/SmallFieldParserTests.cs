using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class SmallFieldParserTests
{
    private static readonly KtpFieldParser Parser = KtpFieldParser.Shared;

    [Theory]
    [InlineData("LAKI-LAKI", "LAKI-LAKI", ParseStatus.Verified)]
    [InlineData(": LAKI-LAKI", "LAKI-LAKI", ParseStatus.Verified)]
    [InlineData("LAKI LAKI", "LAKI-LAKI", ParseStatus.Corrected)]
    [InlineData("laki-lakl", "LAKI-LAKI", ParseStatus.Corrected)]
    [InlineData("PEREMPUAN", "PEREMPUAN", ParseStatus.Verified)]
    [InlineData("PERERNPUAN", "PEREMPUAN", ParseStatus.Corrected)]
    [InlineData("FEMALE", "FEMALE", ParseStatus.Verified)]
    [InlineData("MALE", "MALE", ParseStatus.Verified)]
    [InlineData("XYZ", "XYZ", ParseStatus.Invalid)]
    public void Sex(string raw, string expected, ParseStatus status) => AssertParsed(Parser.Sex(raw), expected, status);

    [Theory]
    [InlineData("O", "O", ParseStatus.Verified)]
    [InlineData("0", "O", ParseStatus.Corrected)]
    [InlineData("AB", "AB", ParseStatus.Verified)]
    [InlineData("A8", "AB", ParseStatus.Corrected)]
    [InlineData("B+", "B+", ParseStatus.Verified)]
    [InlineData(": AB -", "AB-", ParseStatus.Verified)]
    [InlineData("-", "-", ParseStatus.Verified)]
    [InlineData("C", "C", ParseStatus.Invalid)]
    public void BloodType(string raw, string expected, ParseStatus status) => AssertParsed(BloodTypeParser.Parse(raw), expected, status);

    [Theory]
    [InlineData("001/004", "001/004", ParseStatus.Verified)]
    [InlineData("02/05", "002/005", ParseStatus.Verified)]
    [InlineData(": 2 / 5", "002/005", ParseStatus.Verified)]
    [InlineData("RT/RW 001/004", "001/004", ParseStatus.Verified)]
    [InlineData("OO1/OO4", "001/004", ParseStatus.Corrected)]
    [InlineData("001|004", "001/004", ParseStatus.Verified)]
    [InlineData("001004", "001/004", ParseStatus.Verified)]
    [InlineData("0011004", "001/004", ParseStatus.Verified)]
    [InlineData("0001/004", "0001/004", ParseStatus.Invalid)]
    [InlineData("001/00", "001/00", ParseStatus.Invalid)]   // a digit lost: padding would make it a confident 001/000
    [InlineData("1/004", "1/004", ParseStatus.Invalid)]
    public void RtRw(string raw, string expected, ParseStatus status) => AssertParsed(RtRwParser.Parse(raw), expected, status);

    [Fact]
    public void RtRw_records_zero_padding() => Assert.Contains(Change.ZeroPadded, RtRwParser.Parse("02/05").Changes);

    [Theory]
    [InlineData("ISLAM", "ISLAM", ParseStatus.Verified)]
    [InlineData("lSLAM", "ISLAM", ParseStatus.Corrected)]
    [InlineData("KATHOLIK", "KATHOLIK", ParseStatus.Verified)]
    [InlineData("KRlSTEN", "KRISTEN", ParseStatus.Corrected)]
    [InlineData("BUDDHA", "BUDDHA", ParseStatus.Verified)]
    [InlineData("CHRISTIAN", "CHRISTIAN", ParseStatus.Verified)]
    [InlineData("Agama : HINDU", "HINDU", ParseStatus.Verified)]
    [InlineData("ATHEIS", "ATHEIS", ParseStatus.Invalid)]
    public void Religion(string raw, string expected, ParseStatus status) => AssertParsed(Parser.Religion(raw), expected, status);

    [Theory]
    [InlineData("KAWIN", "KAWIN", ParseStatus.Verified)]
    [InlineData("BELUM KAWlN", "BELUM KAWIN", ParseStatus.Corrected)]
    [InlineData("BELUMKAWIN", "BELUM KAWIN", ParseStatus.Corrected)]
    [InlineData("CERAI MATl", "CERAI MATI", ParseStatus.Corrected)]
    [InlineData("MARRIED", "MARRIED", ParseStatus.Verified)]
    public void MaritalStatus(string raw, string expected, ParseStatus status) => AssertParsed(Parser.MaritalStatus(raw), expected, status);

    [Theory]
    [InlineData("WIRASWASTA", "WIRASWASTA", ParseStatus.Verified)]
    [InlineData("wiraswasta", "WIRASWASTA", ParseStatus.Verified)]
    [InlineData("WlRASWAS7A", "WIRASWASTA", ParseStatus.Corrected)]
    [InlineData("PELAJAR/MAHASISWA", "PELAJAR/MAHASISWA", ParseStatus.Verified)]
    [InlineData("KARYAWAN", "KARYAWAN", ParseStatus.Unverified)]
    [InlineData("04-01-2018.", "04-01-2018.", ParseStatus.Invalid)] // the validity row's date, read as this one (rows shifted)
    [InlineData("GURU 2", "GURU 2", ParseStatus.Invalid)]
    [InlineData("MENGURUS RUMAH TANGGA", "MENGURUS RUMAH TANGGA", ParseStatus.Verified)]
    public void Occupation(string raw, string expected, ParseStatus status) => AssertParsed(Parser.Occupation(raw), expected, status);

    [Theory]
    [InlineData("WNI", "WNI", ParseStatus.Verified)]
    [InlineData("WN1", "WNI", ParseStatus.Corrected)]
    [InlineData("WNA", "WNA", ParseStatus.Verified)]
    [InlineData("CHINA", "CHINA", ParseStatus.Unverified)]
    [InlineData("12", "12", ParseStatus.Invalid)]
    [InlineData("SEUMUR HIDUP", "SEUMUR HIDUP", ParseStatus.Invalid)] // the validity row, read as this one (rows shifted)
    [InlineData("KAWIN", "KAWIN", ParseStatus.Invalid)]
    public void Nationality(string raw, string expected, ParseStatus status) => AssertParsed(NationalityParser.Parse(raw), expected, status);

    [Theory]
    [InlineData("SEUMUR HIDUP", "SEUMUR HIDUP", ParseStatus.Verified)]
    [InlineData("SEUMUR HlDUP", "SEUMUR HIDUP", ParseStatus.Corrected)]
    [InlineData("seumur hidup", "SEUMUR HIDUP", ParseStatus.Verified)]
    [InlineData("21-11-2024", "21-11-2024", ParseStatus.Verified)]
    [InlineData("Berlaku Hingga : 21-11-2O24", "21-11-2024", ParseStatus.Corrected)]
    [InlineData("SELAMANYA", "SELAMANYA", ParseStatus.Invalid)]
    public void Validity(string raw, string expected, ParseStatus status) => AssertParsed(ValidityParser.Parse(raw), expected, status);

    [Theory]
    [InlineData("Nama : setiawan", "SETIAWAN")]
    [InlineData(": ABDURRAHMAN  HADIN", "ABDURRAHMAN HADIN")]
    [InlineData("5ETIAWAN", "SETIAWAN")]
    [InlineData("| BUDI |", "BUDI")]
    [InlineData("NAMAN SUDIRJA", "NAMAN SUDIRJA")]
    public void Names_are_cleaned_and_upper_cased(string raw, string expected)
    {
        var name = FreeTextParser.Name(raw, FieldLabels.For(Results.KtpField.Nama));
        Assert.Equal(expected, name.Value);
        Assert.Equal(ParseStatus.Unverified, name.Status);
    }

    [Theory]
    [InlineData("JL. ANGSANA NO 21", "JL. ANGSANA NO 21")]
    [InlineData(": dusun belidak raya baru kp. hulu no. 19", "DUSUN BELIDAK RAYA BARU KP. HULU NO. 19")]
    [InlineData("JL. RAJAWALI NO, 22", "JL. RAJAWALI NO. 22")]
    [InlineData("JL. KH. MAS MANSYUR GG, GAJAH MADA NO. 107", "JL. KH. MAS MANSYUR GG. GAJAH MADA NO. 107")]
    [InlineData("KP, CIBOGO NO,98", "KP. CIBOGO NO,98")]
    [InlineData("DESA KENO, KABUPATEN", "DESA KENO, KABUPATEN")]
    public void Addresses_keep_digits(string raw, string expected) =>
        Assert.Equal(expected, FreeTextParser.Address(raw).Value);

    private static void AssertParsed(ParsedField field, string expected, ParseStatus status)
    {
        Assert.Equal(expected, field.Value);
        Assert.Equal(status, field.Status);
    }
}
