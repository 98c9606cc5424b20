using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bifrost.Analysis;

namespace Bifrost.Bench;

/// <summary>
/// backlog-engine [--messages 50000]: the built-in engine alone on the cold backlog's excerpts (every one different), in a
/// fresh process, one thread, in order, no warm-up — what the engine costs a service that has just started on a backlog.
/// Prints µs per excerpt for the first 10 % (JIT and tiering included) and for 10–90 %, and the process CPU. Run it with
/// runtime knobs in the environment (DOTNET_TieredPGO=0, DOTNET_TC_QuickJitForLoops=0, DOTNET_ReadyToRun=0, ...) to see
/// what each costs; the backlog is generated before the clock starts.
/// </summary>
internal static class BacklogEngine
{
    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--messages");
        var count = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 50_000;
        var inputs = BacklogRequests.Generate(count).Payloads.Select(p =>
        {
            var root = JsonDocument.Parse(p).RootElement;
            return new AnalysisInput(root.GetProperty("log_content").GetString()!, root.GetProperty("service_name").GetString()!, root.GetProperty("environment").GetString()!);
        }).ToArray();
        var engine = new LogAnalyzer();
        var first = count / 10;
        var last = count * 9 / 10;
        var sink = 0;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        TimeSpan atFirst = default, atLast = default, cpuFirst = default, cpuLast = default;
        for (var i = 0; i < count; i++)
        {
            if (i == first)
            {
                atFirst = clock.Elapsed;
                cpuFirst = Process.GetCurrentProcess().TotalProcessorTime;
            }
            else if (i == last)
            {
                atLast = clock.Elapsed;
                cpuLast = Process.GetCurrentProcess().TotalProcessorTime;
            }

            sink += engine.Analyze(inputs[i]).Summary.Length;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        var knobs = string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_CLI_", StringComparison.Ordinal) && k is not ("DOTNET_NOLOGO" or "DOTNET_GENERATE_ASPNET_CERTIFICATE")).Order().Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backlog-engine {count:N0} excerpts [{(knobs.Length > 0 ? knobs : "defaults")}]: CPU per excerpt (process: JIT and GC threads included) first 10 % {(cpuFirst - cpuStart).TotalMicroseconds / first:F1} µs, 10–90 % {(cpuLast - cpuFirst).TotalMicroseconds / (last - first):F1} µs, all {cpu.TotalMicroseconds / count:F1} µs; wall all {clock.Elapsed.TotalMicroseconds / count:F1} µs; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (sink {sink % 10})"));
        return 0;
    }
}
