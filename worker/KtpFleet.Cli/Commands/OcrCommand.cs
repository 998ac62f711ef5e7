using System.CommandLine;
using System.Text.Json;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Cli.Commands;

/// <summary>`ktp ocr IMAGE...`: one result document per image on stdout (JSON lines, or pretty).</summary>
internal static class OcrCommand
{
    public static Command Build()
    {
        var images = new Argument<FileInfo[]>("images") { Description = "KTP images (JPEG, PNG, WebP)", Arity = ArgumentArity.OneOrMore };
        var pretty = new Option<bool>("--pretty") { Description = "indent the JSON" };
        var fieldsOnly = new Option<bool>("--fields-only") { Description = "print only field values" };
        var debugDir = new Option<DirectoryInfo?>("--debug-dir") { Description = "write the rectified card and field crops here" };
        var tessdataVersion = new Option<string?>("--tessdata-version") { Description = "model version under tessdata/" };
        var engines = new Option<int>("--engines") { Description = "engines in the pool (default: one per core)" };
        var command = new Command("ocr", "Read KTP images and print the result JSON") { images, pretty, fieldsOnly, debugDir, tessdataVersion, engines };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(images)!, parse.GetValue(pretty), parse.GetValue(fieldsOnly), parse.GetValue(debugDir),
            parse.GetValue(tessdataVersion), parse.GetValue(engines), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] images, bool pretty, bool fieldsOnly, DirectoryInfo? debugDir,
        string? tessdataVersion, int engines, CancellationToken ct)
    {
        KtpExtractor extractor;
        try
        {
            extractor = KtpExtractor.Create(new OcrOptions
            {
                TessdataVersion = tessdataVersion ?? Ocr.Engine.TessdataSet.DefaultVersion,
                Engines = engines > 0 ? engines : Math.Min(Environment.ProcessorCount, images.Length),
            });
        }
        catch (KtpNativeException e)
        {
            await Console.Error.WriteLineAsync($"ktp: {e.Message}");
            return 3;
        }
        using (extractor)
        {
            var progress = images.Length > 1 && Console.IsErrorRedirected == false;
            var failures = 0;
            var done = 0;
            // Results print in input order; cards are read in parallel on the pool.
            var tasks = images.Select(image => ReadOne(extractor, image, debugDir, images.Length, ct)).ToList();
            foreach (var task in tasks)
            {
                var (line, ok) = await task;
                if (!ok) failures++;
                if (line is not null) Console.WriteLine(line);
                done++;
                if (progress) Console.Error.Write($"\r[ktp] {done}/{images.Length} cards");
            }
            if (progress) Console.Error.WriteLine();
            return failures == 0 ? 0 : 1;

            async Task<(string? Line, bool Ok)> ReadOne(KtpExtractor x, FileInfo image, DirectoryInfo? debug, int count, CancellationToken token)
            {
                byte[] bytes;
                try { bytes = await File.ReadAllBytesAsync(image.FullName, token); }
                catch (IOException e)
                {
                    await Console.Error.WriteLineAsync($"ktp: {image.Name}: cannot read: {e.Message}");
                    return (null, false);
                }
                try
                {
                    var debugFor = debug is null ? null : count == 1 ? debug.FullName : Path.Combine(debug.FullName, Path.GetFileNameWithoutExtension(image.Name));
                    var result = await x.ExtractAsync(bytes, new ExtractOptions { DebugDirectory = debugFor }, token);
                    return (Render(image.Name, result, pretty, fieldsOnly), true);
                }
                catch (KtpImageException e)
                {
                    await Console.Error.WriteLineAsync($"ktp: {image.Name}: {e.ErrorCode}: {e.Message}");
                    return (null, false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not KtpNativeException)
                {
                    // One unreadable card must not cost the others their results.
                    await Console.Error.WriteLineAsync($"ktp: {image.Name}: internal_error: {e.GetType().Name}: {e.Message}");
                    return (null, false);
                }
            }
        }
    }

    private static string Render(string name, KtpResult result, bool pretty, bool fieldsOnly)
    {
        if (!fieldsOnly) return ResultJson.Serialize(result, pretty);
        var values = result.Fields.ToDictionary(f => f.Key, f => f.Value.Value);
        return JsonSerializer.Serialize(new { image = name, fields = values }, pretty ? ResultJson.Pretty : ResultJson.Options);
    }
}
