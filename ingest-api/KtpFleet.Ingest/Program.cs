using KtpFleet.Fleet;
using KtpFleet.Ingest;

var app = IngestApp.Build(args, FleetSettings.FromEnvironment());
await IngestApp.PrepareAsync(app);
await app.RunAsync();
