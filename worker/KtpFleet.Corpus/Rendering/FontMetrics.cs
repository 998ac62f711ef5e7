using System.Buffers.Binary;
using System.Diagnostics;

namespace KtpFleet.Corpus.Rendering;

/// <summary>
/// Advance widths read from the TrueType font fontconfig resolves for a family, so the layout can wrap values and
/// compute ground-truth boxes for exactly the font librsvg will draw with (kerning is ignored: boxes are padded).
/// </summary>
public sealed class FontMetrics
{
    private static readonly Dictionary<string, FontMetrics> Cache = new();
    private readonly Dictionary<int, ushort> _glyphs;
    private readonly ushort[] _advances;
    private readonly double _unitsPerEm;

    public string File { get; }

    private FontMetrics(string file, Dictionary<int, ushort> glyphs, ushort[] advances, double unitsPerEm)
    {
        File = file;
        _glyphs = glyphs;
        _advances = advances;
        _unitsPerEm = unitsPerEm;
    }

    /// <summary>The font fontconfig picks for a pattern such as <c>Liberation Sans:bold</c>.</summary>
    public static FontMetrics ForPattern(string pattern)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(pattern, out var cached)) return cached;
            var file = ExternalTool.Run("fc-match", ["-f", "%{file}", pattern]).Trim();
            var metrics = Parse(file);
            Cache[pattern] = metrics;
            return metrics;
        }
    }

    public double Width(string text, double size)
    {
        double units = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var glyph = _glyphs.GetValueOrDefault(rune.Value);
            units += _advances[Math.Min(glyph, (ushort)(_advances.Length - 1))];
        }
        return units / _unitsPerEm * size;
    }

    private static FontMetrics Parse(string file)
    {
        var data = System.IO.File.ReadAllBytes(file);
        var tables = new Dictionary<string, int>();
        int numTables = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4));
        for (var i = 0; i < numTables; i++)
        {
            var record = 12 + 16 * i;
            var tag = System.Text.Encoding.ASCII.GetString(data, record, 4);
            tables[tag] = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(record + 8));
        }
        foreach (var required in new[] { "head", "hhea", "hmtx", "cmap" })
        {
            if (!tables.ContainsKey(required)) throw new InvalidDataException($"{file}: no '{required}' table");
        }

        var unitsPerEm = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(tables["head"] + 18));
        int metricCount = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(tables["hhea"] + 34));
        var advances = new ushort[metricCount];
        for (var i = 0; i < metricCount; i++)
            advances[i] = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(tables["hmtx"] + 4 * i));

        return new FontMetrics(file, ReadCmap(data, tables["cmap"], file), advances, unitsPerEm);
    }

    private static Dictionary<int, ushort> ReadCmap(byte[] data, int cmap, string file)
    {
        ushort U16(int at) => BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        int count = U16(cmap + 2);
        for (var i = 0; i < count; i++)
        {
            var rec = cmap + 4 + 8 * i;
            var (platform, encoding) = (U16(rec), U16(rec + 2));
            var sub = cmap + (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(rec + 4));
            if (U16(sub) != 4 || !(platform == 3 && encoding is 1 or 0 || platform == 0)) continue;

            // Format 4: segments of [start, end] mapped by delta or through the glyph id array.
            var map = new Dictionary<int, ushort>();
            var segments = U16(sub + 6) / 2;
            var ends = sub + 14;
            var starts = ends + 2 * segments + 2;
            var deltas = starts + 2 * segments;
            var offsets = deltas + 2 * segments;
            for (var s = 0; s < segments; s++)
            {
                int end = U16(ends + 2 * s), start = U16(starts + 2 * s);
                var delta = (short)U16(deltas + 2 * s);
                int rangeOffset = U16(offsets + 2 * s);
                for (var c = start; c <= end && c != 0xFFFF; c++)
                {
                    ushort glyph;
                    if (rangeOffset == 0) glyph = (ushort)(c + delta);
                    else
                    {
                        var at = offsets + 2 * s + rangeOffset + 2 * (c - start);
                        glyph = U16(at);
                        if (glyph != 0) glyph = (ushort)(glyph + delta);
                    }
                    map[c] = glyph;
                }
            }
            return map;
        }
        throw new InvalidDataException($"{file}: no Unicode BMP cmap");
    }
}

/// <summary>Runs an external tool (rsvg-convert, convert, fc-match) and turns a failure into a clear exception.</summary>
public static class ExternalTool
{
    public static string Run(string tool, IReadOnlyList<string> arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // Our own parallelism is per card; ImageMagick's OpenMP threads would also make noise order-dependent.
        info.Environment["MAGICK_THREAD_LIMIT"] = "1";
        info.Environment["OMP_THREAD_LIMIT"] = "1";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CorpusToolException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CorpusToolException($"{tool} is not installed (scripts/bootstrap.sh installs it): {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new CorpusToolException($"{tool} failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            return stdout.Result;
        }
    }
}

public sealed class CorpusToolException(string message) : Exception(message);
