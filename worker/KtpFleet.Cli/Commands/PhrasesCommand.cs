using System.CommandLine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Cli.Commands;

/// <summary>
/// `ktp phrases`: every text the phrase reader compares values with, one per line — the input of
/// scripts/gen-phrase-templates.sh, so the vocabularies have one source (the OCR library's data).
/// </summary>
internal static class PhrasesCommand
{
    public static Command Build()
    {
        var command = new Command("phrases", "List the closed-vocabulary texts whose templates scripts/gen-phrase-templates.sh renders") { Hidden = true };
        command.SetAction(_ =>
        {
            foreach (var text in PhraseReader.TextsToRender()) Console.WriteLine(text);
            return 0;
        });
        return command;
    }
}
