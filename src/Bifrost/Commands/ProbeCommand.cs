using System.CommandLine;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost probe [URL]</c>: exits 0 when URL answers 2xx. The container HEALTHCHECK uses it because the
/// runtime-deps base image has no curl or wget (and installing them only for this widens the image).
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        // A string, not Uri: System.CommandLine has no Uri converter (the probe would fail on every URL).
        var url = new Argument<string>("url") { Description = "URL to GET", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "http://127.0.0.1:8080/health/live" };
        var timeout = new Option<double>("--timeout") { Description = "seconds before the probe fails", DefaultValueFactory = _ => 5 };
        var command = new Command("probe", "Check that a Bifrost HTTP endpoint answers (container health check).") { url, timeout };
        command.SetAction((parse, ct) => Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var target)
            ? RunAsync(target, TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.InvocationConfiguration.Output, ct)
            : Task.FromResult(Usage(parse.GetValue(url), parse.InvocationConfiguration.Error)));
        return command;
    }

    private static int Usage(string? url, TextWriter error)
    {
        error.WriteLine($"not an absolute URL: {url}");
        return 2;
    }

    public static async Task<int> RunAsync(Uri url, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{(int)response.StatusCode} {url}").ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"unreachable {url}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
