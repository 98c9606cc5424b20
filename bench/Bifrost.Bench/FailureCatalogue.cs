namespace Bifrost.Bench;

/// <summary>
/// The load generator's excerpts: 50 failure shapes seen in production logs (JVM, .NET, Python, Go, Node,
/// databases, brokers, Kubernetes, proxies), each rendered with fresh ids, hosts, ports, durations and timestamps,
/// so the same failure recurs with different values — the way incidents arrive. Multi-line where the real thing is.
/// </summary>
internal static class FailureCatalogue
{
    private static string Ip(Random r) => $"10.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}";

    private static string Id(Random r) => RandomGuid(r).ToString("N")[..12];

    /// <summary>From the caller's random source, so a seeded generator renders the same excerpts every time.</summary>
    private static Guid RandomGuid(Random r)
    {
        Span<byte> bytes = stackalloc byte[16];
        r.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static readonly Func<Random, string>[] Shapes =
    [
        r => $"ERROR o.h.engine.jdbc.spi.SqlExceptionHelper : HikariPool-1 - Connection is not available, request timed out after {r.Next(1000, 60000)}ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\tat com.acme.orders.OrderRepository.find(OrderRepository.java:{r.Next(20, 400)})",
        r => $"org.postgresql.util.PSQLException: Connection to db-{r.Next(1, 9)}.internal:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
        r => $"java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3210)\n\tat com.acme.batch.Loader.load(Loader.java:{r.Next(10, 300)})",
        r => $"java.net.SocketTimeoutException: Read timed out\n\tat java.net.SocketInputStream.socketRead0(Native Method)\n\tat com.acme.client.PartnerClient.call(PartnerClient.java:{r.Next(10, 200)}) [url=http://{Ip(r)}:8080/api/v1/items/{r.Next()}]",
        r => $"redis.clients.jedis.exceptions.JedisConnectionException: Could not get a resource from the pool\nCaused by: java.net.ConnectException: Connection refused (Connection refused) cache-{r.Next(1, 5)}:6379",
        r => $"ERROR: duplicate key value violates unique constraint \"orders_pkey\"\nDETAIL: Key (id)=({r.Next()}) already exists.",
        r => $"java.lang.NullPointerException: Cannot invoke \"com.acme.Cart.total()\" because \"cart\" is null\n\tat com.acme.checkout.CheckoutService.pay(CheckoutService.java:{r.Next(10, 500)})",
        r => $"upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111 (request {Id(r)})",
        r => $"OSError: [Errno 28] No space left on device: '/var/lib/app/tmp/{Id(r)}.part'",
        r => $"%3|{r.Next()}|FAIL|rdkafka#producer-1| [thrd:kafka-{r.Next(1, 4)}:9092/bootstrap]: kafka-{r.Next(1, 4)}:9092/{r.Next(1, 4)}: Connect to ipv4#{Ip(r)}:9092 failed: Connection refused (after 0ms in state CONNECT)",
        r => $"System.InvalidOperationException: Sequence contains no elements\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\n   at Acme.Orders.OrderService.Get(Int32 id) in /src/Orders/OrderService.cs:line {r.Next(10, 300)}",
        r => $"Error: getaddrinfo ENOTFOUND api-{r.Next(1, 99)}.partner.example\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:{r.Next(60, 120)}:26)",
        r => $"WARN 429 Too Many Requests from rate limiter: quota {r.Next(100, 1000)}/min exceeded for client {Id(r)}",
        r => $"torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate {r.Next(1, 40)}.00 GiB (GPU {r.Next(0, 8)}; 39.59 GiB total capacity)",
        r => $"Warning  BackOff  {r.Next(1, 59)}m  kubelet  Back-off restarting failed container app in pod web-{r.Next(1 << 28):x7}-{Id(r)[..5]}_default",
        r => $"javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target (svc-{r.Next(1, 50)}.internal)",
        r => $"Traceback (most recent call last):\n  File \"/app/handlers/import.py\", line {r.Next(10, 400)}, in run\n    count = int(row['qty'])\nValueError: invalid literal for int() with base 10: '{Id(r)}'",
        r => $"accept4: too many open files; retrying in {r.Next(5, 1000)}ms (fd {r.Next(1000, 65535)})",
        r => $"ERROR: deadlock detected\nDETAIL: Process {r.Next(1000, 99999)} waits for ShareLock on transaction {r.Next()}; blocked by process {r.Next(1000, 99999)}.",
        r => $"FATAL: password authentication failed for user \"svc_{r.Next(1, 9)}\" (client {Ip(r)})",
        r => $"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x{r.Next():x} pc=0x{r.Next():x}]\n\ngoroutine {r.Next(1, 900)} [running]:\nmain.(*Server).handle(0x0)\n\t/app/server.go:{r.Next(10, 400)} +0x{r.Next(16, 255):x}",
        r => $"ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction (query id {r.Next()})",
        r => $"com.mongodb.MongoTimeoutException: Timed out after {r.Next(1000, 30000)} ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {{type=REPLICA_SET, servers=[{{address=mongo-{r.Next(1, 4)}:27017, type=UNKNOWN, state=CONNECTING}}]",
        r => $"org.apache.kafka.common.errors.TimeoutException: Expiring {r.Next(1, 500)} record(s) for events-{r.Next(0, 12)}:{r.Next(30000, 120000)} ms has passed since batch creation",
        r => $"OOMKilled: container app in pod worker-{Id(r)[..6]} exceeded memory limit {r.Next(256, 4096)}Mi (exit code 137)",
        r => $"nginx: [error] {r.Next(1, 99)}#0: *{r.Next()} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {Ip(r)}, request: \"GET /api/orders/{r.Next()} HTTP/1.1\"",
        r => $"System.Net.Http.HttpRequestException: Connection refused ({Ip(r)}:{r.Next(1024, 65535)})\n ---> System.Net.Sockets.SocketException (111): Connection refused\n   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)",
        r => $"Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired. The timeout period elapsed prior to completion of the operation (statement {r.Next()})",
        r => $"ERROR Disk quota exceeded writing /data/segments/{Id(r)}.log ({r.Next(90, 100)}% used)",
        r => $"FATAL: remaining connection slots are reserved for non-replication superuser connections (active {r.Next(95, 100)})",
        r => $"java.lang.StackOverflowError\n\tat com.acme.tree.Node.depth(Node.java:{r.Next(10, 90)})\n\tat com.acme.tree.Node.depth(Node.java:{r.Next(10, 90)})\n\tat com.acme.tree.Node.depth(Node.java:{r.Next(10, 90)})",
        r => $"ConnectionResetError: [Errno 104] Connection reset by peer (peer {Ip(r)}:443, request {Id(r)})",
        r => $"Error: ECONNREFUSED {Ip(r)}:5672 - amqp connection failed, retrying in {r.Next(1, 30)}s",
        r => $"x509: certificate has expired or is not yet valid: current time 2026-11-{r.Next(10, 28)}T{r.Next(10, 23)}:{r.Next(10, 59)}:00Z is after 2026-11-01T00:00:00Z",
        r => $"io.grpc.StatusRuntimeException: UNAVAILABLE: io exception (target inventory-{r.Next(1, 9)}:50051)",
        r => $"ERROR [main] o.s.boot.SpringApplication : Application run failed\norg.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource': Failed to bind properties under 'spring.datasource.url' (profile {r.Next(1, 5)})",
        r => $"level=error ts=2026-11-26T10:{r.Next(10, 59)}:00Z caller=scrape.go:{r.Next(100, 999)} msg=\"context deadline exceeded\" target=http://{Ip(r)}:9100/metrics",
        r => $"KeyError: 'user_id'\n  File \"/app/api/views.py\", line {r.Next(10, 300)}, in get_profile\n    uid = payload['user_id']",
        r => $"java.util.concurrent.RejectedExecutionException: Task {Id(r)} rejected from java.util.concurrent.ThreadPoolExecutor[Running, pool size = {r.Next(8, 200)}, active threads = {r.Next(8, 200)}, queued tasks = {r.Next(1000, 10000)}]",
        r => $"ERROR: could not serialize access due to concurrent update (tx {r.Next()})",
        r => $"Liveness probe failed: Get \"http://{Ip(r)}:8080/health\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
        r => $"botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied (bucket uploads-{r.Next(1, 9)}, key {Id(r)})",
        r => $"Elasticsearch exception [type=es_rejected_execution_exception, reason=rejected execution of coordinating operation [coordinating_and_primary_bytes={r.Next()}, max_coordinating_and_primary_bytes={r.Next()}]]",
        r => $"UnhandledPromiseRejectionWarning: TypeError: Cannot read properties of undefined (reading 'id')\n    at OrderController.create (/app/src/orders.js:{r.Next(10, 300)}:{r.Next(1, 40)})",
        r => $"System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n   at System.Text.StringBuilder.ExpandByABlock(Int32 minBlockCharCount)\n   at Acme.Reports.Builder.Render(Report r) in /src/Reports/Builder.cs:line {r.Next(10, 200)}",
        r => $"etcdserver: request timed out, possibly due to previous leader failure (member {r.Next():x})",
        r => $"ERROR: canceling statement due to statement timeout (query ran {r.Next(30, 600)}s, pid {r.Next(1000, 99999)})",
        r => $"ssh: connect to host {Ip(r)} port 22: No route to host",
        r => $"SEVERE: Servlet.service() for servlet [dispatcher] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Session already invalidated ({Id(r)})]",
        r => $"kernel: Out of memory: Killed process {r.Next(1000, 99999)} (java) total-vm:{r.Next(1000000, 9000000)}kB, anon-rss:{r.Next(100000, 900000)}kB",
    ];

    public static int Count => Shapes.Length;

    /// <summary>An excerpt of failure <paramref name="shape"/>, padded with INFO context lines to about <paramref name="size"/> characters.</summary>
    public static string Excerpt(Random random, int shape, int size)
    {
        var at = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(86_400)).AddMilliseconds(random.Next(1000));
        var failure = $"{at:yyyy-MM-ddTHH:mm:ss.fffZ} ERROR {Shapes[shape % Shapes.Length](random)}";
        if (failure.Length >= size)
        {
            return failure;
        }

        var context = new System.Text.StringBuilder(size + 128);
        while (context.Length + failure.Length < size)
        {
            context.Append($"{at.AddMilliseconds(-random.Next(5000)):yyyy-MM-ddTHH:mm:ss.fffZ} INFO request {RandomGuid(random):N} handled in {random.Next(1, 900)} ms\n");
        }

        return context.Append(failure).ToString();
    }
}
