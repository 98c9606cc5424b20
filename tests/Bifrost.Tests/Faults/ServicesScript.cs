using System.Diagnostics;

namespace Bifrost.Tests.Faults;

/// <summary>scripts/test-services.sh's fault verbs (kafka-stop [KILL], kafka-start, pg-stop, pg-start) on the shared test services.</summary>
internal static class ServicesScript
{
    public static async Task RunAsync(params string[] verb)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(TestServices.Script);
        foreach (var v in verb)
        {
            info.ArgumentList.Add(v);
        }

        // The script keeps its state (ports, pids) where the services were started.
        if (Environment.GetEnvironmentVariable("BIFROST_TEST_SERVICES_DIR") is { Length: > 0 } dir)
        {
            info.Environment["BIFROST_SERVICES_DIR"] = dir;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"test-services.sh {string.Join(' ', verb)} failed: {await stderr}");
    }
}
