namespace KtpFleet.Ocr.Parsing;

/// <summary>Berlaku Hingga: <c>SEUMUR HIDUP</c> (lifetime) or, on older cards, a date.</summary>
public static class ValidityParser
{
    private static readonly VocabularyParser Lifetime = new([Reference.Vocabulary.Lifetime], [], closed: true);

    public static ParsedField Parse(string? raw)
    {
        var labels = FieldLabels.For(Results.KtpField.BerlakuHingga);
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, labels, changes, upperCase: false);
        if (text.Length == 0) return ParsedField.Missing;
        if (text.Any(char.IsDigit)) return DateParser.FromCleanText(text, changes);
        return Lifetime.Match(text.ToUpperInvariant(), text.Any(char.IsLower) ? [.. changes, Change.UpperCased] : changes);
    }
}
