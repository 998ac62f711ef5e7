using System.Text.RegularExpressions;
using Serilog.Events;
using Serilog.Formatting;

namespace KtpFleet.Fleet.Logging;

/// <summary>
/// Last line of defence for PII in logs: whatever a log event carries, any 16-digit run (a NIK, possibly with
/// separators) is masked to its first 2 digits (the province, not identifying) before the line is written.
/// Names and addresses are never put into log events in the first place; this catches mistakes.
/// </summary>
public static partial class PiiMask
{
    public static string Nik(string? nik) =>
        string.IsNullOrEmpty(nik) ? "" : nik.Length <= 2 ? new string('*', nik.Length) : nik[..2] + new string('*', nik.Length - 2);

    public static string MaskText(string text) => NikPattern().Replace(text, m => m.Value[..2] + new string('*', 14));

    /// <summary>16 digits not inside a longer digit run, optionally grouped by spaces, dots or dashes.</summary>
    [GeneratedRegex(@"(?<!\d)\d{2}(?:[ .\-]?\d){14}(?!\d)")]
    private static partial Regex NikPattern();
}

/// <summary>Wraps a formatter (JSON for the fleet) and masks NIK-like runs in its output.</summary>
public sealed class MaskingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new StringWriter();
        inner.Format(logEvent, buffer);
        output.Write(PiiMask.MaskText(buffer.ToString()));
    }
}
