using System.Reflection;

namespace KtpFleet.Ocr.Reference;

/// <summary>Reads the reference files embedded from <c>Data/</c> (resource names <c>KtpFleet.Ocr.Data.&lt;file&gt;</c>).</summary>
internal static class EmbeddedData
{
    public static Stream Open(string fileName)
    {
        var name = "KtpFleet.Ocr.Data." + fileName;
        return Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
    }

    /// <summary>Data rows of a CSV file (header skipped), split on commas outside double quotes.</summary>
    public static IEnumerable<string[]> CsvRows(string fileName)
    {
        using var reader = new StreamReader(Open(fileName));
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            yield return line.Contains('"') ? SplitQuoted(line) : line.Split(',');
        }
    }

    internal static string[] SplitQuoted(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = !quoted;
            }
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
