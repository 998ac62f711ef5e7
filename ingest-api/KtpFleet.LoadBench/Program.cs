using KtpFleet.LoadBench;

return await LoadBench.RunAsync(args);
