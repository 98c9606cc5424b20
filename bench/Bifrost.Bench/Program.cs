// Benchmarks and evaluations; each subcommand says what it measures. See docs/benchmarks.md and docs/quality.md.
// Usage: dotnet run -c Release --project bench/Bifrost.Bench -- <name> [args] [--shared-dir DIR]
// Evaluation data is read from ../shared next to the repository root unless --shared-dir or $BIFROST_SHARED_DIR says otherwise.
// Adding one: one file with a static Run(string[] args) -> int, and one line in this table.
var benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal)
{
    ["loghub-eval"] = Bifrost.Bench.LoghubEval.Run,
    ["loghub-loso"] = Bifrost.Bench.LoghubLoso.Run,
    ["mining-throughput"] = Bifrost.Bench.MiningThroughput.Run,
    ["e2e-throughput"] = Bifrost.Bench.E2eThroughput.Run,
    ["backlog-engine"] = Bifrost.Bench.BacklogEngine.Run,
    ["redaction-throughput"] = Bifrost.Bench.RedactionThroughput.Run,
    ["dialect-throughput"] = Bifrost.Bench.DialectThroughput.Run,
    ["classify-eval"] = Bifrost.Bench.ClassifyEval.Run,
    ["excerpts-check"] = Bifrost.Bench.ExcerptsCheck.Run,
    ["analyze-latency"] = Bifrost.Bench.AnalyzeLatency.Run,
    ["engine-golden"] = Bifrost.Bench.EngineGolden.Run,
    ["llm-cache"] = Bifrost.Bench.LlmBench.Cache,
    ["llm-down-latency"] = Bifrost.Bench.LlmBench.DownLatency,
    ["grpc-load"] = Bifrost.Bench.GrpcLoad.Run,
    ["load"] = Bifrost.Bench.LoadBench.Run,
    ["runbook-eval"] = Bifrost.Bench.RunbookEval.Run,
    ["runbook-lookup"] = Bifrost.Bench.RunbookLookupBench.Run,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Bifrost.Bench -- <benchmark> [args]");
    Console.Error.WriteLine("benchmarks: " + string.Join(", ", benchmarks.Keys.Order(StringComparer.Ordinal)));
    return 2;
}

return run(Bifrost.Bench.SharedData.TakeOption(args[1..]));
