namespace KtpFleet.Ocr.Results;

/// <summary>The fields printed on a KTP, with the stable snake_case keys used in the result document.</summary>
public static class KtpField
{
    public const string Nik = "nik";
    public const string Nama = "nama";
    public const string TempatLahir = "tempat_lahir";
    public const string TanggalLahir = "tanggal_lahir";
    public const string JenisKelamin = "jenis_kelamin";
    public const string GolonganDarah = "golongan_darah";
    public const string Alamat = "alamat";
    public const string RtRw = "rt_rw";
    public const string KelDesa = "kel_desa";
    public const string Kecamatan = "kecamatan";
    public const string Agama = "agama";
    public const string StatusPerkawinan = "status_perkawinan";
    public const string Pekerjaan = "pekerjaan";
    public const string Kewarganegaraan = "kewarganegaraan";
    public const string BerlakuHingga = "berlaku_hingga";
    public const string Provinsi = "provinsi";
    public const string KabupatenKota = "kabupaten_kota";
    /// <summary>Issuing regency/city printed under the photo.</summary>
    public const string TempatTerbit = "tempat_terbit";
    /// <summary>Issue date printed under the photo.</summary>
    public const string TanggalTerbit = "tanggal_terbit";

    /// <summary>Every field, in the order a card prints them (issue place/date last).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Provinsi, KabupatenKota, Nik, Nama, TempatLahir, TanggalLahir, JenisKelamin, GolonganDarah, Alamat, RtRw,
        KelDesa, Kecamatan, Agama, StatusPerkawinan, Pekerjaan, Kewarganegaraan, BerlakuHingga, TempatTerbit,
        TanggalTerbit,
    ];
}
