// The fleet tests share real services and some restart them (chaos): classes must not run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
