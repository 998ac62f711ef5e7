namespace KtpFleet.Ocr.Parsing;

/// <summary>Letter↔digit readings Tesseract makes on KTP print, for fields known to be all digits or all letters.</summary>
public static class CharConfusions
{
    /// <summary>The digit a character stands for in a numeric field; null when it is not a known confusion.</summary>
    public static char? AsDigit(char c) => c switch
    {
        >= '0' and <= '9' => c,
        'O' or 'o' or 'D' or 'Q' or 'U' => '0',
        'I' or 'i' or 'l' or 'L' or '|' or '!' or 'J' or ']' or '[' => '1',
        'Z' or 'z' => '2',
        'A' => '4',
        'S' or 's' or '$' => '5',
        'G' or 'b' => '6',
        'T' => '7',
        'B' => '8',
        'g' or 'q' => '9',
        _ => null,
    };

    /// <summary>The letter a digit stands for in a field that never holds digits (names).</summary>
    public static char AsLetter(char c) => c switch
    {
        '0' => 'O',
        '1' or '|' or '!' => 'I',
        '2' => 'Z',
        '4' => 'A',
        '5' => 'S',
        '6' => 'G',
        '7' => 'T',
        '8' => 'B',
        _ => c,
    };

    /// <summary>Maps every character to a digit; null when some character is neither a digit nor a known confusion.</summary>
    public static string? ToDigits(string s, out bool changed)
    {
        changed = false;
        var chars = new char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (AsDigit(s[i]) is not { } d) return null;
            if (d != s[i]) changed = true;
            chars[i] = d;
        }
        return new string(chars);
    }
}
