using System.Globalization;
using System.Text.RegularExpressions;
using KtpFleet.Corpus.Data;
using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;
using Vocabulary = KtpFleet.Corpus.Data.Vocabulary;

namespace KtpFleet.Corpus.Tests;

/// <summary>The generated data is consistent by construction, judged by the OCR library's own tables and cross-checks.</summary>
public sealed class GroundTruthConsistencyTests
{
    private const long Seed = 20261122;
    private static readonly DateOnly Today = new(2026, 1, 1);
    private static readonly Lazy<IReadOnlyList<CardData>> Cards = new(() => Make(3000, 0.10));

    private static IReadOnlyList<CardData> Make(int count, double fraction)
    {
        var factory = new CardDataFactory(RegionData.Instance, Vocabulary.Instance, fraction);
        return [.. Enumerable.Range(0, count).Select(i => factory.Create($"c{i}", CardRandom.ForCard(Seed, i, "data")))];
    }

    [Fact]
    public void Every_field_of_the_result_document_is_in_the_ground_truth()
    {
        foreach (var card in Cards.Value)
            Assert.Equal(KtpField.All.Order(), card.Fields.Keys.Order());
    }

    [Fact]
    public void Nik_is_district_code_plus_birth_date_plus_serial_unless_labelled()
    {
        foreach (var card in Cards.Value)
        {
            var nik = card.Fields[KtpField.Nik];
            Assert.Matches("^[0-9]{16}$", nik);
            Assert.Equal(card.NikDistrict.Code, nik[..6]);
            var day = int.Parse(nik[6..8], CultureInfo.InvariantCulture);
            var nikFemale = day > 40;
            var nikDate = (day - (nikFemale ? 40 : 0), int.Parse(nik[8..10], CultureInfo.InvariantCulture), int.Parse(nik[10..12], CultureInfo.InvariantCulture));
            var printed = DateOnly.ParseExact(card.Fields[KtpField.TanggalLahir], "dd-MM-yyyy", CultureInfo.InvariantCulture);

            Assert.Equal(card.Inconsistency == Inconsistency.BirthDate, nikDate != (printed.Day, printed.Month, printed.Year % 100));
            Assert.Equal(card.Inconsistency == Inconsistency.Sex, nikFemale != card.IsFemale);
            var sameRegion = card.Inconsistency is not (Inconsistency.District or Inconsistency.Regency or Inconsistency.Province);
            Assert.Equal(sameRegion, card.NikDistrict.Code == card.PrintedDistrict.Code);
        }
    }

    [Fact]
    public void Region_codes_exist_and_printed_regions_come_from_one_district()
    {
        var table = RegionTable.Shared;
        foreach (var card in Cards.Value)
        {
            var nik = card.Fields[KtpField.Nik];
            Assert.True(table.Exists(nik[..2]) && table.Exists(nik[..4]) && table.Exists(nik[..6]), $"{card.Id}: NIK region {nik[..6]} not in the table");

            var printed = card.PrintedDistrict.Code;
            Assert.Equal(table.Find(printed)!.PrintedName, card.Fields[KtpField.Kecamatan]);
            Assert.Contains(card.Fields[KtpField.Provinsi], table.Find(printed[..2])!.PrintedNames);
            Assert.Contains(card.Fields[KtpField.KabupatenKota], table.Find(printed[..4])!.PrintedNames);
            Assert.Contains(table.VillagesOf(printed), v => v.PrintedName == card.Fields[KtpField.KelDesa]);
            Assert.Equal(PrintedRegionNames.Bare(card.Fields[KtpField.KabupatenKota]), card.Fields[KtpField.TempatTerbit]);
        }
    }

    [Fact]
    public void The_ocr_librarys_cross_checks_fail_exactly_the_labelled_checks()
    {
        var mismatches = new List<string>();
        foreach (var card in Cards.Value)
        {
            var checks = KtpCrossChecks.Shared.Run(card.Fields.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), Today);
            var failed = checks.Where(c => c.Status == CheckStatus.Failed).Select(c => c.Name).Order().ToList();
            var skipped = checks.Where(c => c.Status == CheckStatus.Skipped).Select(c => c.Name).ToList();
            if (!failed.SequenceEqual(card.ExpectedFailedChecks.Order()) || skipped.Count > 0)
                mismatches.Add($"{card.Id} ({card.Inconsistency}): failed [{string.Join(", ", failed)}], skipped [{string.Join(", ", skipped)}], labelled [{string.Join(", ", card.ExpectedFailedChecks)}]");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(20)));
    }

    [Fact]
    public void Inconsistent_fraction_is_respected_and_every_kind_occurs()
    {
        var share = Cards.Value.Count(c => c.Inconsistency != Inconsistency.None) / (double)Cards.Value.Count;
        Assert.InRange(share, 0.08, 0.12);
        foreach (var kind in Enum.GetValues<Inconsistency>())
            Assert.Contains(Cards.Value, c => c.Inconsistency == kind);
        Assert.All(Make(300, 0), c => Assert.Empty(c.ExpectedFailedChecks));
        Assert.All(Make(100, 1), c => Assert.NotEmpty(c.ExpectedFailedChecks));
    }

    [Fact]
    public void Values_are_normalised_and_drawn_from_the_vocabulary()
    {
        var vocabulary = Vocabulary.Instance;
        var date = new Regex("^[0-3][0-9]-[01][0-9]-(19|20)[0-9]{2}$");
        foreach (var card in Cards.Value)
        {
            var f = card.Fields;
            Assert.Matches(date, f[KtpField.TanggalLahir]);
            Assert.Matches(date, f[KtpField.TanggalTerbit]);
            Assert.Matches("^[0-9]{3}/[0-9]{3}$", f[KtpField.RtRw]);
            Assert.True(f[KtpField.BerlakuHingga] == "SEUMUR HIDUP" || date.IsMatch(f[KtpField.BerlakuHingga]));
            Assert.Contains(f[KtpField.GolonganDarah], vocabulary.BloodTypes);
            Assert.Contains(f[KtpField.Pekerjaan], vocabulary.Occupations);
            Assert.False(f[KtpField.Provinsi].StartsWith("PROVINSI", StringComparison.Ordinal));
            Assert.All(f.Values, v => Assert.Equal(v.ToUpperInvariant(), v));
            if (card.IsForeigner)
            {
                Assert.Contains(f[KtpField.JenisKelamin], vocabulary.SexesEnglish);
                Assert.Contains(f[KtpField.Agama], vocabulary.ReligionsEnglish);
                Assert.NotEqual("WNI", f[KtpField.Kewarganegaraan]);
            }
            else
            {
                Assert.Contains(f[KtpField.JenisKelamin], vocabulary.Sexes);
                Assert.Contains(f[KtpField.Agama], vocabulary.Religions);
                Assert.Contains(f[KtpField.StatusPerkawinan], vocabulary.MaritalStatuses);
                Assert.Equal("WNI", f[KtpField.Kewarganegaraan]);
            }
        }
        Assert.Contains(Cards.Value, c => c.IsForeigner);
        Assert.Contains(Cards.Value, c => c.Fields[KtpField.BerlakuHingga] == "SEUMUR HIDUP");
        Assert.Contains(Cards.Value, c => c.Fields[KtpField.BerlakuHingga] != "SEUMUR HIDUP");
        Assert.Contains(Cards.Value, c => c.Fields[KtpField.KabupatenKota].StartsWith("KOTA ", StringComparison.Ordinal));
    }
}
