namespace KtpFleet.Operator.Resources;

/// <summary>
/// Result field names of the worker's result document (KtpFleet.Ocr.Results.KtpField), repeated here because the
/// operator does not depend on the OCR library; the CRD validates tenant field thresholds against them.
/// </summary>
public static class KtpFields
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
    public const string TempatTerbit = "tempat_terbit";
    public const string TanggalTerbit = "tanggal_terbit";

    public static readonly IReadOnlyList<string> All =
    [
        Provinsi, KabupatenKota, Nik, Nama, TempatLahir, TanggalLahir, JenisKelamin, GolonganDarah, Alamat, RtRw,
        KelDesa, Kecamatan, Agama, StatusPerkawinan, Pekerjaan, Kewarganegaraan, BerlakuHingga, TempatTerbit,
        TanggalTerbit,
    ];

    public const string CelList = "['provinsi', 'kabupaten_kota', 'nik', 'nama', 'tempat_lahir', 'tanggal_lahir', " +
        "'jenis_kelamin', 'golongan_darah', 'alamat', 'rt_rw', 'kel_desa', 'kecamatan', 'agama', 'status_perkawinan', " +
        "'pekerjaan', 'kewarganegaraan', 'berlaku_hingga', 'tempat_terbit', 'tanggal_terbit']";
}
