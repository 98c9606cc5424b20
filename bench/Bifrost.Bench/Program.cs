// Benchmarks and evaluations; each subcommand says what it measures. See docs/benchmarks.md.
switch (args.FirstOrDefault())
{
    case "classify-eval": return Bifrost.Bench.ClassifyEval.Run(args[1..]);
    case "analyze-latency": return Bifrost.Bench.AnalyzeLatency.Run(args[1..]);
}

Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Bifrost.Bench -- <benchmark> [options]");
return 2;
