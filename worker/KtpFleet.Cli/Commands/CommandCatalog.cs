using System.CommandLine;

namespace KtpFleet.Cli.Commands;

/// <summary>Every top-level command of the CLI; each lives in its own file with a static Build().</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        OcrCommand.Build(),
        CalibrateCommand.Build(),
        CorpusCommand.Build(),
        BenchCommand.Build(),
        PhrasesCommand.Build(),
    ];
}
