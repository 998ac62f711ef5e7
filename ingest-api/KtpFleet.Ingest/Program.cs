using KtpFleet.Fleet;
using KtpFleet.Ingest;

var settings = FleetSettings.FromEnvironment();
if (TenantCommand.Matches(args)) return await TenantCommand.RunAsync(args, settings);
if (MigrateCommand.Matches(args)) return await MigrateCommand.RunAsync(settings);

var app = IngestApp.Build(args, settings);
await IngestApp.PrepareAsync(app);
await app.RunAsync();
return 0;
