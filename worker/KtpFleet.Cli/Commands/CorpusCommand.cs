using System.CommandLine;
using System.Diagnostics;
using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Generation;
using KtpFleet.Corpus.Rendering;
using Spectre.Console;

namespace KtpFleet.Cli.Commands;

/// <summary><c>ktp corpus generate</c>: a synthetic KTP corpus with exact ground truth.</summary>
internal static class CorpusCommand
{
    public static Command Build()
    {
        var count = new Option<int>("--count") { Description = "number of cards", DefaultValueFactory = _ => 60 };
        var seed = new Option<long>("--seed") { Description = "corpus seed: the same seed gives a byte-identical corpus", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "output directory (created)", Required = true };
        var profile = new Option<string>("--profile") { Description = "clean | scan | photo | hard | mixed", DefaultValueFactory = _ => "mixed" };
        var inconsistent = new Option<double>("--inconsistent") { Description = "fraction of cards with a deliberate NIK inconsistency", DefaultValueFactory = _ => 0.10 };
        var parallel = new Option<int>("--parallel") { Description = "cards rendered at once", DefaultValueFactory = _ => Environment.ProcessorCount };

        var generate = new Command("generate", "generate cards (<id>.png|jpg + <id>.gt.json) and manifest.json")
        {
            count, seed, output, profile, inconsistent, parallel,
        };
        generate.SetAction(async (parse, ct) =>
        {
            var profileText = parse.GetValue(profile)!;
            CaptureProfile? chosen = null;
            if (profileText != "mixed")
            {
                if (!CaptureProfiles.TryParse(profileText, out var p))
                {
                    Console.Error.WriteLine($"unknown profile '{profileText}' (clean, scan, photo, hard, mixed)");
                    return 2;
                }
                chosen = p;
            }
            var fraction = parse.GetValue(inconsistent);
            if (fraction is < 0 or > 1)
            {
                Console.Error.WriteLine("--inconsistent must be between 0 and 1");
                return 2;
            }
            var options = new CorpusOptions
            {
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                OutputDirectory = parse.GetValue(output)!,
                Profile = chosen,
                InconsistentFraction = fraction,
                Parallelism = Math.Max(1, parse.GetValue(parallel)),
            };
            if (options.Count < 1)
            {
                Console.Error.WriteLine("--count must be at least 1");
                return 2;
            }

            var watch = Stopwatch.StartNew();
            var generator = new CorpusGenerator();
            CorpusManifest manifest;
            try
            {
                manifest = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"rendering {options.Count} cards", maxValue: options.Count);
                        var progress = new Progress<int>(done => task.Value = Math.Max(task.Value, done));
                        return await generator.GenerateAsync(options, progress, ct);
                    });
            }
            catch (CorpusToolException e)
            {
                Console.Error.WriteLine($"corpus generation failed: {e.Message}");
                return 1;
            }
            var inconsistentCount = manifest.Cards.Count(c => c.ExpectedFailedChecks.Count > 0);
            Console.WriteLine($"{manifest.Count} cards ({manifest.Profile}, seed {manifest.Seed}, {inconsistentCount} with a labelled inconsistency) "
                              + $"in {watch.Elapsed.TotalSeconds:F1} s → {Path.GetFullPath(options.OutputDirectory)}");
            return 0;
        });

        return new Command("corpus", "synthetic KTP corpus") { generate };
    }
}
