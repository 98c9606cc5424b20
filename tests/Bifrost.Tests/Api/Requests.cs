using System.Net.Http.Json;

namespace Bifrost.Tests.Api;

/// <summary>Request bodies as REST clients send them.</summary>
internal static class Requests
{
    public static object Body(string service = "checkout", string log = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms", string? requestId = null, object? metadata = null) =>
        new { log_content = log, service_name = service, environment = "prod", priority = "high", request_id = requestId, metadata };

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
