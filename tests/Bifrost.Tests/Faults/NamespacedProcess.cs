using System.Diagnostics;
using System.Text;

namespace Bifrost.Tests.Faults;

/// <summary>The built `bifrost` executable run inside a <see cref="NetworkNamespace"/> (<c>ip netns exec</c> execs it: the pid is bifrost's).</summary>
internal sealed class NamespacedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NamespacedProcess(Process process) => _process = process;

    public static NamespacedProcess Start(NetworkNamespace ns, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory("bifrost-netns-").FullName,
        };
        foreach (var arg in new[] { "netns", "exec", ns.Name, BifrostProcess.Executable }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BIFROST_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var instance = new NamespacedProcess(new Process { StartInfo = info });
        instance._process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        instance._process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        instance._process.Start();
        instance._process.BeginOutputReadLine();
        instance._process.BeginErrorReadLine();
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

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
