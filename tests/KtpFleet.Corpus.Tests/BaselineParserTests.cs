using KtpFleet.Corpus.Bench;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Tests;

public sealed class BaselineParserTests
{
    [Fact]
    public void Parses_label_colon_value_lines_like_public_ktp_ocr_projects()
    {
        const string text = """
            PROVINSI JAWA TENGAH
            KABUPATEN CILACAP
            NIK : 3301234509870001
            Nama : SITI AMINAH
            Tempat/Tgl Lahir : MAGELANG, 05-09-1987
            Jenis Kelamin : PEREMPUAN Gol. Darah : O
            Alamat : JL. ANGSANA NO 21
            RT/RW : 002/005
            Kel/Desa : ANGSANA
            Kecamatan : CILACAP TENGAH
            Agama : ISLAM
            Status Perkawinan : KAWIN
            Pekerjaan : KARYAWAN SWASTA  CILACAP
            Kewarganegaraan : WNI  21-05-2018
            Berlaku Hingga : SEUMUR HIDUP
            """;
        var values = BaselineParser.Parse(text);
        Assert.Equal("JAWA TENGAH", values[KtpField.Provinsi]);
        Assert.Equal("KABUPATEN CILACAP", values[KtpField.KabupatenKota]);
        Assert.Equal("3301234509870001", values[KtpField.Nik]);
        Assert.Equal("SITI AMINAH", values[KtpField.Nama]);
        Assert.Equal("MAGELANG", values[KtpField.TempatLahir]);
        Assert.Equal("05-09-1987", values[KtpField.TanggalLahir]);
        Assert.Equal("PEREMPUAN", values[KtpField.JenisKelamin]);
        Assert.Equal("O", values[KtpField.GolonganDarah]);
        Assert.Equal("002/005", values[KtpField.RtRw]);
        Assert.Equal("CILACAP TENGAH", values[KtpField.Kecamatan]);
        Assert.Equal("SEUMUR HIDUP", values[KtpField.BerlakuHingga]);
        Assert.Equal("21-05-2018", values[KtpField.TanggalTerbit]);
        Assert.Equal("CILACAP", values[KtpField.TempatTerbit]);
    }

    [Fact]
    public void Garbage_gives_empty_fields_not_errors()
    {
        var values = BaselineParser.Parse("|||\n~~ :: \n\n");
        Assert.All(KtpField.All, f => Assert.Null(values[f]));
    }
}
