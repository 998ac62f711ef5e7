using System.Text.RegularExpressions;

namespace KtpFleet.Deploy.Tests.Infrastructure;

public sealed record DockerInstruction(string Keyword, string Arguments);

public sealed record DockerStage(string From, string? Name, List<DockerInstruction> Instructions)
{
    public IEnumerable<string> Args(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
}

/// <summary>A Dockerfile split into stages of instructions (continuation lines joined, comments dropped).</summary>
public sealed partial class Dockerfile
{
    public required string Path { get; init; }
    public required List<DockerStage> Stages { get; init; }
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        var logical = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            logical.Add(current + line);
            current = "";
        }
        foreach (var line in logical)
        {
            var m = InstructionRegex().Match(line.Trim());
            if (!m.Success) throw new FormatException($"{path}: cannot parse '{line}'");
            var keyword = m.Groups[1].Value.ToUpperInvariant();
            var args = m.Groups[2].Value.Trim();
            if (keyword == "FROM")
            {
                var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(new DockerStage(parts[0], parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null, []));
            }
            else if (stages.Count > 0) stages[^1].Instructions.Add(new DockerInstruction(keyword, args));
            else if (keyword != "ARG") throw new FormatException($"{path}: {keyword} before FROM");
        }
        return new Dockerfile { Path = path, Stages = stages };
    }

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$")]
    private static partial Regex InstructionRegex();
}
