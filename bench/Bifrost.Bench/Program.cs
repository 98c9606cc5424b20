// Benchmarks and evaluations; each subcommand says what it measures. See docs/benchmarks.md.
Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Bifrost.Bench -- <benchmark> [options]");
return 2;
