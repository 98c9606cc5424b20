using System.CommandLine;
using Bifrost.Commands;

namespace Bifrost.Tests.Operations;

/// <summary>The container HEALTHCHECK runs `bifrost probe URL`: parsed and run as the image runs it.</summary>
public class ProbeCommandTests
{
    private static async Task<(int Code, string Output)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { ProbeCommand.Create() };
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }

    [Fact]
    public async Task Probe_LiveEndpoint_ExitsZero()
    {
        await using var app = TestHost.Build();
        await app.StartAsync();

        var (code, output) = await InvokeAsync("probe", new Uri(new Uri(app.Urls.First()), "/health/live").ToString());
        await app.StopAsync();

        Assert.Equal(0, code);
        Assert.StartsWith("200 ", output);
    }

    [Fact]
    public async Task Probe_NothingListening_ExitsOne()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port that was just free: connection refused

        var (code, output) = await InvokeAsync("probe", $"http://127.0.0.1:{port}/health/live", "--timeout", "3");

        Assert.Equal(1, code);
        Assert.Contains("unreachable", output);
    }

    [Fact]
    public async Task Probe_NotAUrl_ExitsTwo()
    {
        var (code, output) = await InvokeAsync("probe", "health/live");

        Assert.Equal(2, code);
        Assert.Contains("not an absolute URL", output);
    }
}
