namespace Bifrost.Bench;

/// <summary>
/// A stream of log excerpts drawn from a fixed set of recurring failures: each draw is the same failure with fresh
/// ids, hosts, ports, durations and timestamps — what Heimdall sends when an incident repeats.
/// </summary>
internal sealed class RecurringFailures(int distinct, int seed)
{
    private static readonly string[] Services =
    [
        "checkout", "payments", "orders", "inventory", "search", "shipping", "accounts", "billing", "catalog", "gateway",
        "notifications", "pricing", "reviews", "ledger", "auth",
    ];

    private static readonly Func<Random, string>[] Shapes =
    [
        r => $"org.postgresql.util.PSQLException: Connection to db-{r.Next(1, 9)}.internal:5432 refused. Check that the hostname and port are correct",
        r => $"com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Connection is not available, request timed out after {r.Next(1000, 60000)}ms.",
        r => $"java.lang.OutOfMemoryError: Java heap space (requested {r.Next(1, 900)} MB)",
        r => $"java.net.SocketTimeoutException: Read timed out calling http://10.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}:8080/api/v1/items/{r.Next()}",
        r => $"redis.clients.jedis.exceptions.JedisConnectionException: Could not get a resource from the pool (host cache-{r.Next(1, 5)}:6379)",
        r => $"ERROR: duplicate key value violates unique constraint \"orders_pkey\" Detail: Key (id)=({r.Next()}) already exists.",
        r => $"java.lang.NullPointerException: Cannot invoke \"Cart.total()\" because \"cart\" is null (request {Guid.NewGuid()})",
        r => $"upstream returned 503 Service Unavailable for request {Guid.NewGuid()} after {r.Next(1, 30)} retries",
        r => $"OSError: [Errno 28] No space left on device: '/var/lib/app/tmp/{Guid.NewGuid():N}.part'",
        r => $"kafka: Broker: Leader not available (topic events-{r.Next(1, 4)}, partition {r.Next(0, 12)})",
        r => $"System.InvalidOperationException: Sequence contains no elements at OrderService.Get(Int32 id = {r.Next()})",
        r => $"Error: getaddrinfo ENOTFOUND api-{r.Next(1, 99)}.partner.example at GetAddrInfoReqWrap.onlookup",
        r => $"HTTP 429 Too Many Requests from rate limiter: quota {r.Next(100, 1000)}/min exceeded for client {Guid.NewGuid():N}",
        r => $"torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate {r.Next(1, 40)}.00 GiB (GPU {r.Next(0, 8)})",
        r => $"Back-off restarting failed container app in pod web-{r.Next(1 << 28):x7}{r.Next(10)}-{Guid.NewGuid().ToString("N")[..4]}{r.Next(10)}_default",
        r => $"javax.net.ssl.SSLHandshakeException: PKIX path building failed for host svc-{r.Next(1, 50)}.internal",
        // Business failures no signature knows: hybrid mode asks the LLM about these.
        r => $"reconciliation run {r.Next()} finished with {r.Next(1, 500)} mismatched ledger totals for account {Guid.NewGuid():N}",
        r => $"feature flag checkout-v{r.Next(2, 9)} evaluated to a stale variant for tenant {r.Next(1000, 9999)}",
        r => $"settlement file SETTLE_{r.Next(10000, 99999)}.csv rejected by clearing house: batch total differs by {r.Next(1, 999)}.{r.Next(10, 99)} EUR",
        r => $"order {r.Next()} stuck in state AWAITING_CAPTURE for {r.Next(31, 600)} minutes; saga compensation not triggered",
    ];

    private readonly Random random = new(seed);

    public int Distinct => Math.Min(distinct, Services.Length * Shapes.Length);

    /// <summary>The next excerpt, the service it came from (the request's service_name) and which recurring failure it is.</summary>
    public (string Excerpt, string Service, int Failure) Next()
    {
        var failure = random.Next(Distinct);
        var service = Services[failure / Shapes.Length];
        var shape = Shapes[failure % Shapes.Length];
        var at = new DateTime(2026, 11, 12, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(86_400)).AddMilliseconds(random.Next(1000));
        return ($"{at:yyyy-MM-ddTHH:mm:ss.fffZ} ERROR [{service}] {shape(random)}", service, failure);
    }
}
