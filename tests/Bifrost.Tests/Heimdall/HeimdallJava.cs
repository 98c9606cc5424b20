using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Bifrost.Tests.Heimdall;

/// <summary>
/// Heimdall's own side, in Java (Heimdall/Java/HeimdallEmulator.java): compiled once per test run with the JDK against
/// the test broker's jars (Kafka 0.9 clients, jackson-databind 2.5), then run to produce the release examples as the
/// releases' producers do and to parse what Bifrost publishes as the releases' consumers do.
/// </summary>
internal static class HeimdallJava
{
    private static readonly Lazy<string> Classes = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string Source => Path.Combine(AppContext.BaseDirectory, "Heimdall", "Java", "HeimdallEmulator.java");

    private static string ClassPath => $"{Path.Combine(TestServices.KafkaLibs, "*")}{Path.PathSeparator}{Classes.Value}";

    private static string Compile()
    {
        // Next to the test binaries (gone with the build folder), not a temp folder left behind by every run.
        var output = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "heimdall-java-classes")).FullName;
        var (code, text) = Run("javac", ["-nowarn", "-cp", Path.Combine(TestServices.KafkaLibs, "*"), "-d", output, Source], null, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"javac failed ({code}): {text}");
        return output;
    }

    /// <summary>Produces the example files as the release's producer does (v1: snappy, key logId; v2: gzip, key job_id).</summary>
    public static async Task<IReadOnlyList<JsonNode>> ProduceAsync(string bootstrap, string topic, string release, IEnumerable<string> files)
    {
        var (code, text) = await Task.Run(() => Run("java", ["-cp", ClassPath, "HeimdallEmulator", "produce", bootstrap, topic, release, .. files], null, TimeSpan.FromMinutes(2)));
        Assert.True(code == 0, $"the release-{release} producer failed ({code}): {text}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!)];
    }

    /// <summary>Parses records (key, value) as the release's consumer would; one verdict per record (ok, error, job_linked).</summary>
    public static IReadOnlyList<JsonNode> Parse(string dialect, string kind, IEnumerable<(string? Key, string Value)> records)
    {
        var list = records.ToList();
        Assert.DoesNotContain(list, r => r.Value.Contains('\n', StringComparison.Ordinal)); // one record per line (JSON escapes newlines)
        var input = string.Concat(list.Select(r => (r.Key ?? "\u0000") + "\t" + r.Value + "\n"));
        var (code, text) = Run("java", ["-cp", ClassPath, "HeimdallEmulator", "parse", dialect, kind], input, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"the release parser failed ({code}): {text}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!)];
    }

    /// <summary>A release's consumer on <paramref name="topic"/>, positioned at its end: records read from now on, with verdicts.</summary>
    public static async Task<Consumer> ConsumeAsync(string bootstrap, string topic, string dialect, string kind)
    {
        var consumer = new Consumer(Start("java", ["-cp", ClassPath, "HeimdallEmulator", "consume", bootstrap, topic, dialect, kind]));
        await consumer.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        return consumer;
    }

    internal sealed class Consumer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<JsonNode> _records = [];
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _errors = new();

        public Consumer(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                if (e.Data == "READY") _ready.TrySetResult();
                else if (e.Data.StartsWith('{'))
                {
                    lock (_records) _records.Add(JsonNode.Parse(e.Data)!);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_errors) _errors.AppendLine(e.Data);
            };
            process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("the Heimdall consumer exited: " + Errors));
            process.EnableRaisingEvents = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Task Ready => _ready.Task;

        public string Errors
        {
            get
            {
                lock (_errors) return _errors.ToString();
            }
        }

        public IReadOnlyList<JsonNode> Records
        {
            get
            {
                lock (_records) return [.. _records];
            }
        }

        /// <summary>Waits until <paramref name="done"/> holds for what was read (or the timeout), then a moment more to catch extras.</summary>
        public async Task<IReadOnlyList<JsonNode>> WaitForAsync(Func<IReadOnlyList<JsonNode>, bool> done, TimeSpan timeout, TimeSpan? settle = null)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!done(Records) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            await Task.Delay(settle ?? TimeSpan.FromSeconds(1));
            return Records;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                _process.StandardInput.Close(); // the consumer's signal to stop
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    private static Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        // One small JVM: these are short-lived test helpers on a shared 2-core machine.
        info.Environment["JAVA_TOOL_OPTIONS"] = "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8";
        return Process.Start(info)!;
    }

    private static (int Code, string Output) Run(string file, string[] args, string? input, TimeSpan timeout)
    {
        using var process = Start(file, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out; " + stderr.Result);
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
