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
        r => $"ValueError: invalid literal for int() with base 10: '{Guid.NewGuid():N}'",
        r => $"too many open files (fd {r.Next(1000, 65535)}) while accepting on 0.0.0.0:{r.Next(1024, 65535)}",
        r => $"deadlock detected: Process {r.Next(1000, 99999)} waits for ShareLock on transaction {r.Next()}",
        r => $"FATAL: password authentication failed for user \"svc_{r.Next(1, 9)}\" from 10.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}",
    ];

    private readonly Random random = new(seed);

    public int Distinct => Math.Min(distinct, Services.Length * Shapes.Length);

    /// <summary>The next excerpt and which of the recurring failures it is.</summary>
    public (string Excerpt, int Failure) Next()
    {
        var failure = random.Next(Distinct);
        var service = Services[failure / Shapes.Length];
        var shape = Shapes[failure % Shapes.Length];
        var at = new DateTime(2026, 11, 12, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(86_400)).AddMilliseconds(random.Next(1000));
        return ($"{at:yyyy-MM-ddTHH:mm:ss.fffZ} ERROR [{service}] {shape(random)}", failure);
    }
}
