namespace Bifrost.Analysis.Tests;

/// <summary>
/// The failure families issue 15 found the engine missing, each in the phrasing its framework writes (values made up,
/// not copied from any evaluation row): SQLSTATE/MySQL codes, web-server worker limits, proxies and load balancers,
/// systemd restart loops, settings classes and environment reads, older Node.js null dereferences.
/// </summary>
public class FrameworkPhrasingTests
{
    private static readonly LogAnalyzer Engine = new();

    public static TheoryData<string, string> Samples => new()
    {
        { "database.connection", "SQLSTATE[HY000] [2002] Connection refused (SQL: select * from `users` where `id` = 7 limit 1)" },
        { "database.connection", "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)" },
        { "database.constraint", "SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry 'ann' for key 'users_name_unique'" },
        { "database.query", "SQLSTATE[42S02]: Base table or view not found: 1146 Table 'shop.carts' doesn't exist" },
        { "database.auth", "SQLSTATE[HY000] [1045] Access denied for user 'shop'@'10.0.3.4' (using password: YES)" },
        { "database.pool_exhausted", "ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds (waited 5.001 seconds); all pooled connections were in use)" },
        { "database.pool_exhausted", "** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 1210ms" },
        { "database.deadlock", "ERROR:  deadlock detected\nDETAIL:  Process 9120 waits for ShareLock on transaction 771; blocked by process 9121." },
        { "concurrency.thread_pool", "[Mon Mar 04 10:22:31.120331 2024] [mpm_event:error] [pid 1:tid 140] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting" },
        { "concurrency.thread_pool", "2024/03/04 10:22:31 [alert] 31#31: 512 worker_connections are not enough" },
        { "http.upstream_error", "2024/03/04 10:22:31 [error] 31#31: *77 no live upstreams while connecting to upstream, client: 10.1.1.1, server: shop, request: \"GET / HTTP/1.1\", upstream: \"http://backend/\"" },
        { "network.connection_refused", "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111" },
        { "network.dns", "nginx: [emerg] host not found in upstream \"api:8080\" in /etc/nginx/conf.d/site.conf:4" },
        { "network.dns", "dial tcp: lookup orders.svc.cluster.local on 10.96.0.10:53: no such host" },
        { "network.dns", "[ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.5:51123->10.96.0.10:53: i/o timeout" },
        { "k8s.crash_loop", "Mar 04 10:22:31 web1 systemd[1]: shop.service: Start request repeated too quickly.\nMar 04 10:22:31 web1 systemd[1]: shop.service: Failed with result 'exit-code'.\nMar 04 10:22:31 web1 systemd[1]: Failed to start Shop API." },
        { "config.invalid", "pydantic_core._pydantic_core.ValidationError: 2 validation errors for AppSettings\ndatabase_url\n  Field required [type=missing, input_value={}, input_type=dict]" },
        { "config.invalid", "Traceback (most recent call last):\n  File \"/srv/app/main.py\", line 5, in <module>\n    TOKEN = os.environ[\"BOT_TOKEN\"]\n  File \"/usr/lib/python3.12/os.py\", line 714, in __getitem__\n    raise KeyError(key) from None\nKeyError: 'BOT_TOKEN'" },
        { "config.invalid", "Error: Cannot find module '../config/production.json'\nRequire stack:\n- /srv/app/server.js" },
        { "config.invalid", "yaml.scanner.ScannerError: mapping values are not allowed here\n  in \"/etc/app/config.yaml\", line 3, column 9" },
        { "code.null_reference", "TypeError: Cannot read property 'id' of undefined\n    at handler (/srv/app/routes/orders.js:31:18)" },
        { "code.null_reference", "NoMethodError: undefined method `name' for nil:NilClass" },
        { "resource.memory", "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/Report.php on line 88" },
        { "resource.disk", "2024-03-04 10:22:31 0 [ERROR] InnoDB: Write to file ./ibtmp1 failed at offset 3145728, 1048576 bytes should have been written, only 0 were written. Operating system error number 28." },
        { "gpu.runtime", "RuntimeError: CUDA error: no kernel image is available for execution on the device" },
        { "gpu.runtime", "Failed to initialize NVML: Driver/library version mismatch" },
        { "messaging.broker", "pika.exceptions.ConnectionClosedByBroker: (320, \"CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'\")" },
        { "data.validation", "pydantic_core._pydantic_core.ValidationError: 1 validation error for CreateOrder\nquantity\n  Field required [type=missing, input_value={}, input_type=dict]" },
        { "data.validation", "[2024-03-04T10:22:31,001][WARN ][logstash.outputs.elasticsearch] Could not index event to Elasticsearch. {:status=>400, :response=>{\"index\"=>{\"error\"=>{\"type\"=>\"mapper_parsing_exception\"}}}}" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Analyze_NamesTheCategoryFromTheFrameworksOwnPhrasing(string category, string excerpt) =>
        Assert.Equal(category, Engine.Analyze(new AnalysisInput(excerpt, "svc", "production")).Category);
}
