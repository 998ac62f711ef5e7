using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Parsing;

/// <summary>The label printed left of each value, which OCR of a loose crop may include.</summary>
public static class FieldLabels
{
    private static readonly Dictionary<string, string[]> Labels = new()
    {
        [KtpField.Nik] = ["NIK"],
        [KtpField.Nama] = ["NAMA"],
        [KtpField.TempatLahir] = ["TEMPAT/TGL LAHIR", "TEMPAT / TGL LAHIR", "TEMPAT LAHIR"],
        [KtpField.TanggalLahir] = ["TGL LAHIR", "TANGGAL LAHIR"],
        [KtpField.JenisKelamin] = ["JENIS KELAMIN"],
        [KtpField.GolonganDarah] = ["GOL. DARAH", "GOL DARAH"],
        [KtpField.Alamat] = ["ALAMAT"],
        [KtpField.RtRw] = ["RT/RW", "RT / RW"],
        [KtpField.KelDesa] = ["KEL/DESA", "KEL / DESA"],
        [KtpField.Kecamatan] = ["KECAMATAN"],
        [KtpField.Agama] = ["AGAMA"],
        [KtpField.StatusPerkawinan] = ["STATUS PERKAWINAN"],
        [KtpField.Pekerjaan] = ["PEKERJAAN"],
        [KtpField.Kewarganegaraan] = ["KEWARGANEGARAAN"],
        [KtpField.BerlakuHingga] = ["BERLAKU HINGGA"],
    };

    public static IReadOnlyList<string> For(string field) => Labels.TryGetValue(field, out var l) ? l : [];
}
