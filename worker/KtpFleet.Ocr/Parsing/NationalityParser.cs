namespace KtpFleet.Ocr.Parsing;

/// <summary>Kewarganegaraan: <c>WNI</c>, <c>WNA</c>, or (foreigners' cards) a country name kept as read.</summary>
public static class NationalityParser
{
    private static readonly VocabularyParser Codes =
        new([Reference.Vocabulary.Citizen, Reference.Vocabulary.Foreigner], FieldLabels.For(Results.KtpField.Kewarganegaraan), closed: false);

    private static readonly Lazy<HashSet<string>> OtherRowsValues = new(() =>
    {
        var v = Reference.Vocabulary.Shared;
        return new HashSet<string>(
            [Reference.Vocabulary.Lifetime, .. v.Sexes, .. v.SexesEnglish, .. v.Religions, .. v.ReligionsEnglish,
             .. v.MaritalStatuses, .. v.MaritalStatusesEnglish, .. v.Occupations],
            StringComparer.Ordinal);
    });

    public static ParsedField Parse(string? raw)
    {
        var parsed = Codes.Parse(raw);
        if (parsed.Status != ParseStatus.Unverified) return parsed;
        // A country name: letters and spaces only, at least four of them (no country code is that short), and not
        // a value of another row (SEUMUR HIDUP, KAWIN, ISLAM...): that is the row below or above, read as this one.
        var name = FreeTextParser.Name(parsed.Value);
        return name.Value is { Length: >= 4 } v && v.All(c => char.IsLetter(c) || c == ' ') && !OtherRowsValues.Value.Contains(v)
            ? name with { Changes = [.. parsed.Changes.Where(c => c != Change.OutOfVocabulary), .. name.Changes] }
            : ParsedField.Invalid(parsed.Value, parsed.Changes, Change.Unrecognised);
    }
}
