using System.Diagnostics;
using System.Text;

namespace Bifrost.Tests;

/// <summary>The built `bifrost` executable as a child process (for SIGKILL/SIGTERM tests and exit codes).</summary>
internal sealed class BifrostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BifrostProcess(Process process) => _process = process;

    public static string Executable
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "bifrost.exe" : "bifrost");
            Assert.True(File.Exists(path), $"the bifrost executable is not next to the tests: {path}");
            return path;
        }
    }

    public static BifrostProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartThrough([], environment, args);

    /// <summary>
    /// Runs the executable through a launcher that execs it, e.g. <c>ip netns exec NAME</c> (the pid stays bifrost's,
    /// so Kill/Terminate reach the service itself).
    /// </summary>
    public static BifrostProcess StartThrough(string[] launcher, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string[] command = [.. launcher, Executable, .. args];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory("bifrost-proc-").FullName,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        // Only what the test says: no config.yaml, .env or BIFROST_* from the test runner's environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BIFROST_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var instance = new BifrostProcess(process);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public void Kill() => _process.Kill(entireProcessTree: true); // SIGKILL on Unix

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        var workingDirectory = _process.StartInfo.WorkingDirectory;
        _process.Dispose();
        try
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a child still writing there: the temp folder is the OS's to clean then
        }
    }
}
