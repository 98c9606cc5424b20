using System.Diagnostics;
using System.Text.RegularExpressions;
using Bifrost.Telemetry;

namespace Bifrost.Tests.Operations;

public partial class VersionTests
{
    [Fact]
    public async Task VersionOption_PrintsTheInformationalVersionWithTheCommit()
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "bifrost"), "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(BuildInfo.Version, output);
        Assert.Matches(SemVer(), output);
        if (Directory.Exists(RepoPaths.Of(".git")) || File.Exists(RepoPaths.Of(".git")))
        {
            Assert.Matches(WithCommit(), output); // built inside a git checkout: Source Link stamps the sha
        }
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+([-+].+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"\+[0-9a-f]{40}$")]
    private static partial Regex WithCommit();
}
