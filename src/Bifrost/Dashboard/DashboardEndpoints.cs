using Bifrost.Configuration;
using Bifrost.Messaging.Dlq;
using Microsoft.AspNetCore.StaticFiles;
using Bifrost.Dashboard;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

// Extension methods live where the host's `app.` already looks, so BifrostHost needs one line and no using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The on-call web dashboard: static HTML/ES modules/CSS embedded in the assembly (no build step), served under
/// <c>/dashboard/</c>, plus the DLQ endpoints its DLQ view needs. Data comes from the REST API and <c>/ws</c>
/// with the same API key as any client, so the page itself holds no privilege.
/// </summary>
public static class DashboardEndpoints
{
    private const string Prefix = "/dashboard";

    // Everything the page loads or connects to is this origin: 'self' covers the same host's ws:/wss: (CSP Level 3),
    // so injected script could not send data (or the API key it can read) to any other host, not even over a WebSocket.
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication MapBifrostDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardEndpoints).Assembly, "Bifrost.Dashboard.wwwroot");
        var contentTypes = new FileExtensionContentTypeProvider();

        IResult Serve(string? path, HttpContext http)
        {
            var name = string.IsNullOrEmpty(path) ? "index.html" : path;
            var file = name.Contains('/', StringComparison.Ordinal) ? null : files.GetFileInfo(name);
            if (file is null || !file.Exists)
            {
                return Results.NotFound();
            }

            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            var contentType = contentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
            return Results.Stream(file.CreateReadStream(), contentType, lastModified: file.LastModified);
        }

        // Routing ignores a trailing slash, but the page's relative URLs need it: redirect only the bare path.
        app.MapGet(Prefix, (HttpContext http) => http.Request.Path.Value!.EndsWith('/') ? Serve(null, http) : Results.Redirect(Prefix + "/"))
            .ExcludeFromDescription();
        app.MapGet(Prefix + "/{*path}", Serve).ExcludeFromDescription();
        // Whoever opens the bare server address in a browser is most likely on call: send them to the page.
        app.MapGet("/", () => Results.Redirect(Prefix + "/")).ExcludeFromDescription();

        app.MapDlqApi(new DlqKafkaSettings(app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value));
        return app;
    }
}
