using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bifrost.Heimdall;

/// <summary>
/// The original service's HTTP routes that Heimdall release 2 still calls, answering plain JSON maps as it did:
/// <c>GET /health</c>, <c>POST /analyze</c> (<c>{"log_content"|"log", "service_name", "environment", "source", ...}</c>) and
/// <c>POST /history</c> (<c>{"limit", "offset", ...}</c>). Same pipeline, store, API keys, rate limits and body limit as
/// the rest of the API; invalid input is a 400 problem naming the field.
/// </summary>
public static class HeimdallRoutes
{
    public static WebApplication MapHeimdallRoutes(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var routes = app.MapGroup("").RequireRateLimiting(RateLimits.PerKey).WithTags("Heimdall release 2 (original service routes)");
        routes.MapGet("/health", HealthAsync).RequireAuthorization(Policies.Read)
            .WithSummary("The original service's health map: status, components, timestamp");
        routes.MapPost("/analyze", AnalyzeAsync).RequireAuthorization(Policies.Write)
            .WithSummary("Analyse a log now (the original service's body: log_content or log, service_name, environment, source local|cloud)");
        routes.MapPost("/history", HistoryAsync).RequireAuthorization(Policies.Read)
            .WithSummary("Analyses newest first as plain maps (the original service's body: limit 1–500, offset, service_name, status, tenant_id)");
        return app;
    }

    public static async Task<IResult> HealthAsync(HealthCheckService health, IOptions<Configuration.KafkaOptions> kafka, HeimdallLogSource logs, TimeProvider time, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(Api.Health.HealthChecks.Ready), ct).ConfigureAwait(false);
        string Component(string name, string ok) => report.Entries.TryGetValue(name, out var e)
            ? e.Status == HealthStatus.Healthy ? ok : e.Status == HealthStatus.Degraded ? "degraded" : "unavailable"
            : "unknown";
        var kafkaOn = !string.IsNullOrWhiteSpace(kafka.Value.BootstrapServers);
        var body = new JsonObject
        {
            ["status"] = report.Status == HealthStatus.Unhealthy ? "unhealthy" : "healthy",
            ["components"] = new JsonObject
            {
                ["database"] = Component("database", "ok"),
                ["llm"] = Component("llm", "ok"),
                ["kafka"] = kafkaOn ? Component("kafka", "enabled") : "disabled",
                ["heimdall_integration"] = kafkaOn ? "enabled" : "disabled",
                ["heimdall_database"] = logs.IsConfigured ? "configured" : "not_configured",
            },
            ["timestamp"] = Messaging.ContractJson.Timestamp(time.GetUtcNow()),
        };
        return TypedResults.Json(body, statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    public static async Task<IResult> AnalyzeAsync(HttpRequest http, ApiAnalysisRunner runner, CancellationToken ct)
    {
        var (body, problem) = await ReadObjectAsync(http, ct).ConfigureAwait(false);
        if (problem is not null) return problem;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // The original service's clients send the text as `log` too: copied to log_content when that is absent.
        var logContent = Text(body!, "log_content", errors) ?? Text(body!, "log", errors);
        if (string.IsNullOrWhiteSpace(logContent) && !errors.ContainsKey("log_content")) errors["log_content"] = ["is required (or log)"];
        var service = Text(body!, "service_name", errors);
        var environment = Text(body!, "environment", errors);
        var source = Text(body!, "source", errors)?.Trim().ToLowerInvariant();
        if (source is not (null or "local" or "cloud")) errors["source"] = [$"must be local or cloud, not '{source}'"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);

        var requestId = Guid.NewGuid().ToString();
        var metadata = new JsonObject();
        if (body!["tags"] is JsonArray tags) metadata["tags"] = tags.DeepClone();
        var submission = new AnalysisSubmission(requestId, requestId, 0, logContent!, Blank(service), Blank(environment),
            MetadataJson: metadata.ToJsonString(), Source: AnalysisSources.Rest, ModelProfile: source);
        var analysis = (await runner.ProcessAsync(submission, ct).ConfigureAwait(false)).Analysis;
        if (analysis.Status != AnalysisStatus.COMPLETED || analysis.Result is not { } r)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Analysis failed", detail: analysis.Error,
                extensions: new Dictionary<string, object?> { ["analysis_id"] = analysis.Id });
        }

        var answer = Map(analysis);
        answer["response"] = Response(r);
        answer["cached"] = r.CacheHit;
        return TypedResults.Json(answer);
    }

    public static async Task<IResult> HistoryAsync(HttpRequest http, IAnalysisStore store, CancellationToken ct)
    {
        var (body, problem) = await ReadObjectAsync(http, ct, emptyIsObject: true).ConfigureAwait(false);
        if (problem is not null) return problem;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var limit = Integer(body!, "limit", 50, 1, 500, errors);
        var offset = Integer(body!, "offset", 0, 0, SqlAnalysisStore.MaxOffset, errors);
        AnalysisStatus? status = null;
        if (Text(body!, "status", errors) is { } s)
        {
            if (Enum.TryParse<AnalysisStatus>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) status = parsed;
            else if (s.Equals("completed", StringComparison.OrdinalIgnoreCase) || s.Equals("failed", StringComparison.OrdinalIgnoreCase)) status = Enum.Parse<AnalysisStatus>(s, true);
            else errors["status"] = [$"must be one of RECEIVED, PROCESSING, COMPLETED, FAILED (any case), not '{s}'"];
        }

        var service = Text(body!, "service_name", errors);
        var tenant = Text(body!, "tenant_id", errors);
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);

        var page = await store.ListAsync(new AnalysisQuery(ServiceName: service, Status: status, Limit: limit, TenantId: tenant, Offset: offset), ct).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (var a in page.Items)
        {
            items.Add(Map(a));
        }

        return TypedResults.Json(items);
    }

    /// <summary>One analysis as the original service's row map, with what Bifrost adds (category, fingerprint, dialect).</summary>
    private static JsonObject Map(StoredAnalysis a)
    {
        var r = a.Result;
        return new JsonObject
        {
            ["id"] = a.Id,
            ["request_id"] = a.Request.RequestId,
            ["created_at"] = Messaging.ContractJson.Timestamp(a.Request.ReceivedAt),
            ["source"] = a.Request.Source,
            ["status"] = a.Status.ToString().ToLowerInvariant(),
            ["service_name"] = a.Request.ServiceName,
            ["environment"] = a.Request.Environment,
            ["log_id"] = a.Request.LogId,
            ["tenant_id"] = a.Request.TenantId,
            ["dialect"] = a.Request.Dialect,
            ["model"] = r?.Model,
            ["engine"] = r?.Engine,
            ["duration_seconds"] = r is null ? null : Math.Round(r.DurationSeconds, 2),
            ["tokens_used"] = r?.TokensUsed,
            ["response"] = r is null ? null : Response(r),
            ["summary"] = r?.Summary,
            ["root_cause"] = r?.RootCause,
            ["recommendation"] = r?.Recommendation,
            ["severity"] = r?.Severity,
            ["confidence"] = r is null ? null : Math.Round(r.Confidence, 2),
            ["category"] = r?.Category,
            ["fingerprint"] = r?.Fingerprint,
            ["error_message"] = a.Error,
        };
    }

    /// <summary>The original service answered one text (the model's reply): the analysis as that text.</summary>
    private static string Response(AnalysisResultData r) => new StringBuilder()
        .Append("Summary: ").AppendLine(r.Summary)
        .Append("Root cause: ").AppendLine(r.RootCause)
        .Append("Recommendation: ").AppendLine(r.Recommendation)
        .Append("Severity: ").Append(r.Severity).Append(" (confidence ").Append(r.Confidence.ToString("0.00", CultureInfo.InvariantCulture)).Append(')')
        .ToString();

    private static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest http, CancellationToken ct, bool emptyIsObject = false)
    {
        if (emptyIsObject && http.ContentLength == 0) return (new JsonObject(), null);
        if (http.HasJsonContentType() is false && http.ContentLength is > 0)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "send the body as application/json"));
        }

        try
        {
            var node = await JsonNode.ParseAsync(http.Body, documentOptions: new JsonDocumentOptions { MaxDepth = Messaging.RequestParser.MaxDepth }, cancellationToken: ct).ConfigureAwait(false);
            return node is JsonObject o
                ? (o, null)
                : (null, AnalysisApi.Invalid(new() { ["body"] = [$"must be a JSON object, not {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}"] }));
        }
        catch (JsonException ex)
        {
            if (emptyIsObject && http.ContentLength is null && ex.BytePositionInLine == 0 && ex.LineNumber == 0) return (new JsonObject(), null);
            return (null, AnalysisApi.Invalid(new() { ["body"] = [$"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"] }));
        }
    }

    private static string? Text(JsonObject body, string name, Dictionary<string, string[]> errors)
    {
        if (body[name] is not { } node) return null;
        if (node.GetValueKind() == JsonValueKind.String) return node.GetValue<string>();
        errors[name] = [$"must be a string, not {node.GetValueKind().ToString().ToLowerInvariant()}"];
        return null;
    }

    private static int Integer(JsonObject body, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (body[name] is not { } node) return fallback;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value) && value >= min && value <= max) return value;
        errors[name] = [$"must be an integer from {min} to {max}"];
        return fallback;
    }

    private static string Blank(string? value) => string.IsNullOrWhiteSpace(value) ? Messaging.RequestParser.Unknown : value.Trim();
}
