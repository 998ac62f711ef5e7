namespace KtpFleet.Ocr.Parsing;

/// <summary>Kewarganegaraan: <c>WNI</c>, <c>WNA</c>, or (foreigners' cards) a country name kept as read.</summary>
public static class NationalityParser
{
    private static readonly VocabularyParser Codes =
        new([Reference.Vocabulary.Citizen, Reference.Vocabulary.Foreigner], FieldLabels.For(Results.KtpField.Kewarganegaraan), closed: false);

    public static ParsedField Parse(string? raw)
    {
        var parsed = Codes.Parse(raw);
        if (parsed.Status != ParseStatus.Unverified) return parsed;
        // A country name: letters and spaces only, at least four of them (no country code is that short).
        var name = FreeTextParser.Name(parsed.Value);
        return name.Value is { Length: >= 4 } v && v.All(c => char.IsLetter(c) || c == ' ')
            ? name with { Changes = [.. parsed.Changes.Where(c => c != Change.OutOfVocabulary), .. name.Changes] }
            : ParsedField.Invalid(parsed.Value, parsed.Changes, Change.Unrecognised);
    }
}
