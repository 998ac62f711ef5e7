using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.Checks;

namespace KtpFleet.Ocr.Tests.Parsing;

public class KtpFieldParserTests
{
    private static readonly KtpFieldParser Parser = KtpFieldParser.Shared;

    [Theory]
    [InlineData(Specimens.Setiawan)]
    [InlineData(Specimens.Abdurrahman)]
    public void Ground_truth_parses_to_itself_except_rt_rw_padding(string specimen)
    {
        var truth = Specimens.GroundTruth(specimen);
        var card = Parser.Parse(truth);
        foreach (var (key, value) in truth)
        {
            var expected = key == KtpField.RtRw ? RtRwParser.Parse(value).Value : value;
            Assert.Equal((key, expected), (key, card.Fields[key].Value));
            Assert.True(card.Fields[key].IsValid, key);
        }
        Assert.Equal(KtpField.All.Order(), card.Fields.Keys.Order());
    }

    [Fact]
    public void Abdurrahman_rt_rw_is_padded_and_unknown_printed_values_are_kept()
    {
        var card = Parser.Parse(Specimens.GroundTruth(Specimens.Abdurrahman));
        Assert.Equal("002/005", card.Fields[KtpField.RtRw].Value);
        Assert.Equal(ParseStatus.Unverified, card.Fields[KtpField.Pekerjaan].Status);
        Assert.Equal("KARYAWAN", card.Fields[KtpField.Pekerjaan].Value);
        Assert.Equal("ANGSANA RAYA", card.Fields[KtpField.Kecamatan].Value);
        Assert.Equal("3301", card.Regions.Regency?.Code);
        Assert.Null(card.Regions.District);
    }

    [Fact]
    public void Noisy_ocr_of_a_whole_card_normalises()
    {
        var raw = new Dictionary<string, string?>
        {
            [KtpField.Provinsi] = "PROVINSI JAWA TENGAH",
            [KtpField.KabupatenKota] = "KABUPATEN CILACAP",
            [KtpField.Nik] = ": 33O1O1520890OO01",
            [KtpField.Nama] = ": SRl WAHYUNl",
            [KtpField.TempatLahir] = ": CILACAP. 12-08-1990",
            [KtpField.JenisKelamin] = ": PEREMPUAN Gol. Darah : A",
            [KtpField.Alamat] = ": JL. MERDEKA NO. 5",
            [KtpField.RtRw] = ": 1/2",
            [KtpField.KelDesa] = ": KEDUNGREJA",
            [KtpField.Kecamatan] = ": KEDUNGRE1A",
            [KtpField.Agama] = ": lSLAM",
            [KtpField.StatusPerkawinan] = ": BELUM KAWlN",
            [KtpField.Pekerjaan] = ": PELAJAR/MAHASlSWA",
            [KtpField.Kewarganegaraan] = ": WNl",
            [KtpField.BerlakuHingga] = ": SEUMUR HlDUP",
            [KtpField.TempatTerbit] = "CILACAP",
            [KtpField.TanggalTerbit] = "20-1O-2015",
        };
        var v = Parser.Parse(raw).Values;
        Assert.Equal("3301015208900001", v[KtpField.Nik]);
        Assert.Equal("SRI WAHYUNI", v[KtpField.Nama]);
        Assert.Equal("CILACAP", v[KtpField.TempatLahir]);
        Assert.Equal("12-08-1990", v[KtpField.TanggalLahir]);
        Assert.Equal("PEREMPUAN", v[KtpField.JenisKelamin]);
        Assert.Equal("A", v[KtpField.GolonganDarah]);
        Assert.Equal("001/002", v[KtpField.RtRw]);
        Assert.Equal("KEDUNGREJA", v[KtpField.Kecamatan]);
        Assert.Equal("ISLAM", v[KtpField.Agama]);
        Assert.Equal("BELUM KAWIN", v[KtpField.StatusPerkawinan]);
        Assert.Equal("PELAJAR/MAHASISWA", v[KtpField.Pekerjaan]);
        Assert.Equal("WNI", v[KtpField.Kewarganegaraan]);
        Assert.Equal("SEUMUR HIDUP", v[KtpField.BerlakuHingga]);
        Assert.Equal("20-10-2015", v[KtpField.TanggalTerbit]);
    }

    [Theory]
    [InlineData(": HALMAHERA SELATAN.", "HALMAHERA SELATAN")]
    [InlineData(": POSO,", "POSO")]
    [InlineData("GAYO LUES", "GAYO LUES")]
    public void A_birthplace_read_apart_from_its_date_loses_the_rest_of_the_comma(string place, string expected)
    {
        var v = Parser.Parse(new Dictionary<string, string?>
        {
            [KtpField.TempatLahir] = place,
            [KtpField.TanggalLahir] = "17-08-1975",
        }).Values;
        Assert.Equal(expected, v[KtpField.TempatLahir]);
        Assert.Equal("17-08-1975", v[KtpField.TanggalLahir]);
    }

    [Fact]
    public void Without_a_header_the_nik_regency_guides_the_kecamatan_snap()
    {
        var raw = new Dictionary<string, string?> { [KtpField.Nik] = "3301015208900001", [KtpField.Kecamatan] = "KEDUNGRE1A" };
        var card = Parser.Parse(raw);
        Assert.Equal("KEDUNGREJA", card.Fields[KtpField.Kecamatan].Value);
        Assert.Equal("330101", card.Regions.District?.Code);
        Assert.Null(card.Regions.Regency);
    }

    [Fact]
    public void Missing_input_gives_missing_fields_not_errors()
    {
        var card = Parser.Parse(new Dictionary<string, string?>());
        Assert.All(card.Fields.Values, f => Assert.Equal(ParseStatus.Missing, f.Status));
        Assert.Equal(KtpField.All.Count, card.Fields.Count);
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var rng = new Random(7);
        const string alphabet = "AZaz09:|!/-., \n\u00e9\u0000";
        for (var i = 0; i < 40; i++)
        {
            var raw = KtpField.All.ToDictionary(k => k, _ => (string?)new string(Enumerable.Range(0, rng.Next(40)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()));
            var card = Parser.Parse(raw);
            Assert.Equal(KtpField.All.Count, card.Fields.Count);
        }
    }

    [Theory]
    // A bare regency/city name as read is verified.
    [InlineData("CILACAP, 12-08-1990", "CILACAP", ParseStatus.Verified)]
    // A reading close to one is snapped (the raw text stays in the result).
    [InlineData("SINJAL, 12-07-1986", "SINJAI", ParseStatus.Corrected)]
    [InlineData("KOTAWAKINGIN BARAT, 01-02-1970", "KOTAWARINGIN BARAT", ParseStatus.Corrected)]
    // A village's own name is a real place as printed, however close to a regency's (BARRU, BANYUASIN).
    [InlineData("BARU, 12-07-1986", "BARU", ParseStatus.Unverified)]
    [InlineData("BANYUASIH, 12-07-1986", "BANYUASIH", ParseStatus.Unverified)]
    // A foreign city is kept as read.
    [InlineData("SHANGHAI, 03-04-1980", "SHANGHAI", ParseStatus.Unverified)]
    public void A_birthplace_is_snapped_to_a_regency_only_when_it_is_no_place_as_read(string line, string place, ParseStatus status)
    {
        var card = Parser.Parse(new Dictionary<string, string?> { [KtpField.TempatLahir] = line });
        var field = card.Fields[KtpField.TempatLahir];
        Assert.Equal((place, status), (field.Value, field.Status));
        // The date is split off as before, whatever the place snapped to.
        Assert.True(card.Fields[KtpField.TanggalLahir].IsValid);
    }
}
