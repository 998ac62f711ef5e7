using KtpFleet.Fleet;
using KtpFleet.Worker;

var options = WorkerOptions.FromEnvironment();
var app = WorkerApp.Build(args, FleetSettings.FromEnvironment(), options, () => ExtractorFactory.Create(options));
await WorkerApp.PrepareAsync(app);
await app.RunAsync();
