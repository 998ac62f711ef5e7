using System.CommandLine;
using KtpFleet.Cli.Commands;

var root = new RootCommand("ktp — KTP Fleet command-line tool");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
