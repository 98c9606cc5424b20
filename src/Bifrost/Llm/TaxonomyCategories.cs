namespace Bifrost.Llm;

/// <summary>
/// The category ids of ../shared/taxonomy.md: an LLM's <c>category</c> is published only when it is one of these.
/// </summary>
internal static class TaxonomyCategories
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All =
    [
        "database.connection", "database.pool_exhausted", "database.deadlock", "database.constraint",
        "database.query", "database.auth",
        "network.connection_refused", "network.timeout", "network.dns", "network.tls",
        "http.upstream_error", "http.rate_limited",
        "auth.credentials", "auth.permission",
        "resource.memory", "resource.disk", "resource.file_descriptors",
        "gpu.out_of_memory", "gpu.runtime",
        "k8s.crash_loop", "k8s.image_pull", "k8s.probe_failed", "k8s.scheduling", "k8s.evicted",
        "code.null_reference", "code.type_error", "code.index_error", "code.stack_overflow", "code.unhandled",
        "dependency.missing", "config.invalid",
        "filesystem.not_found", "filesystem.permission",
        "messaging.broker", "cache.unavailable", "concurrency.thread_pool", "data.validation",
        Unknown,
    ];

    private static readonly HashSet<string> Ids = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string id) => Ids.Contains(id);
}
