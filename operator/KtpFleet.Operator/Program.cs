using KtpFleet.Operator;

// Not disposed: ProcessExit may fire after Main returns.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
return await OperatorCommandLine.RunAsync(args, stop.Token);
