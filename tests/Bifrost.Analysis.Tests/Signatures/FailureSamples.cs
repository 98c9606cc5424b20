namespace Bifrost.Analysis.Tests;

/// <summary>
/// Realistic excerpts, one or more per taxonomy category, written in the shapes the named frameworks produce
/// (not copied from the evaluation set). Each is (expected category, service, excerpt).
/// </summary>
public static class FailureSamples
{
    public static TheoryData<string, string> All => new()
    {
        { "database.connection", """
            2024-03-11 09:14:02.117 ERROR 1 --- [nio-8080-exec-3] o.h.engine.jdbc.spi.SqlExceptionHelper   : Connection to orders-db.internal:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
            org.postgresql.util.PSQLException: Connection to orders-db.internal:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
            	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:319)
            	at org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:49)
            Caused by: java.net.ConnectException: Connection refused
            	at java.base/sun.nio.ch.Net.pollConnect(Native Method)
            """ },
        { "database.connection", """
            fail: Microsoft.EntityFrameworkCore.Database.Connection[20004]
                  An error occurred using the connection to database 'billing' on server 'tcp://pg-billing:5432'.
            Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.12.7:5432
             ---> System.Net.Sockets.SocketException (111): Connection refused
               at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)
            """ },
        { "database.connection", """
            Traceback (most recent call last):
              File "/app/worker.py", line 88, in run
                rows = session.execute(text("SELECT 1")).fetchall()
            sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "reports-db" (172.18.0.4), port 5432 failed: Connection refused
            	Is the server running on that host and accepting TCP/IP connections?
            """ },
        { "database.pool_exhausted", """
            2024-06-02 14:22:10.511 WARN  [http-nio-8080-exec-41] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
            org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection
            Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
            	at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)
            """ },
        { "database.pool_exhausted", """
            System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached.
               at System.Data.ProviderBase.DbConnectionFactory.TryGetConnection(DbConnection owningConnection)
               at Microsoft.Data.SqlClient.SqlConnection.Open()
            """ },
        { "database.pool_exhausted", """
            sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)
            """ },
        { "database.deadlock", """
            2024-01-20 03:01:44,902 ERROR [scheduler-2] o.h.e.j.s.SqlExceptionHelper - Deadlock found when trying to get lock; try restarting transaction
            org.springframework.dao.CannotAcquireLockException: could not execute statement; SQL [n/a]; nested exception is org.hibernate.exception.LockAcquisitionException: could not execute statement
            Caused by: com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Deadlock found when trying to get lock; try restarting transaction
            """ },
        { "database.deadlock", """
            ERROR:  deadlock detected
            DETAIL:  Process 4121 waits for ShareLock on transaction 99812; blocked by process 4177.
            	Process 4177 waits for ShareLock on transaction 99811; blocked by process 4121.
            HINT:  See server log for query details.
            CONTEXT:  while updating tuple (12,7) in relation "inventory"
            """ },
        { "database.constraint", """
            Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique constraint "ix_users_email"
               at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode)
            Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes. See the inner exception for details.
             ---> Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique constraint "ix_users_email"
            """ },
        { "database.constraint", """
            django.db.utils.IntegrityError: insert or update on table "orders_item" violates foreign key constraint "orders_item_order_id_fk"
            DETAIL:  Key (order_id)=(8812) is not present in table "orders_order".
            """ },
        { "database.query", """
            2024-04-09T10:11:12.001Z ERROR 7 --- [main] o.h.engine.jdbc.spi.SqlExceptionHelper : ERROR: column "discount_code" of relation "orders" does not exist
              Position: 57
            org.springframework.dao.InvalidDataAccessResourceUsageException: could not execute statement; SQL [n/a]
            Caused by: org.postgresql.util.PSQLException: ERROR: column "discount_code" of relation "orders" does not exist
            """ },
        { "database.query", """
            Error: ER_NO_SUCH_TABLE: Table 'shop.cart_items' doesn't exist
                at Query.Sequence._packetToError (/app/node_modules/mysql/lib/protocol/sequences/Sequence.js:47:14)
                at Query.ErrorPacket (/app/node_modules/mysql/lib/protocol/sequences/Query.js:79:18)
            """ },
        { "database.auth", """
            psql: error: connection to server at "analytics-db" (10.1.4.20), port 5432 failed: FATAL:  password authentication failed for user "etl_reader"
            """ },
        { "database.auth", """
            java.sql.SQLException: Access denied for user 'app'@'10.2.3.4' (using password: YES)
            	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:129)
            	at com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:825)
            """ },
        { "network.connection_refused", """
            Error: connect ECONNREFUSED 10.0.4.18:8081
                at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
              errno: -111,
              code: 'ECONNREFUSED',
              syscall: 'connect',
              address: '10.0.4.18',
              port: 8081
            }
            """ },
        { "network.connection_refused", """
            level=error ts=2024-05-05T08:00:01Z caller=client.go:212 msg="call inventory service" err="rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 10.3.0.9:9000: connect: connection refused\""
            """ },
        { "network.timeout", """
            requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.partner.example', port=443): Read timed out. (read timeout=10)
            """ },
        { "network.timeout", """
            2024-07-01 12:00:00.000 ERROR [pool-3-thread-7] c.e.pay.GatewayClient - call failed
            java.net.SocketTimeoutException: Read timed out
            	at java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
            	at java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)
            """ },
        { "network.dns", """
            java.net.UnknownHostException: payments.internal.svc: Name or service not known
            	at java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)
            	at java.base/java.net.InetAddress$PlatformNameService.lookupAllHostAddr(InetAddress.java:933)
            """ },
        { "network.dns", """
            Error: getaddrinfo ENOTFOUND search-api.default.svc.cluster.local
                at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)
            """ },
        { "network.tls", """
            javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target
            	at java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)
            """ },
        { "network.tls", """
            System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.
             ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid
            """ },
        { "http.upstream_error", """
            2024-02-02 10:00:00 ERROR [reactor-http-epoll-2] o.s.w.r.f.client.ExchangeFunctions : 503 Service Unavailable from GET http://catalog:8080/api/items
            org.springframework.web.reactive.function.client.WebClientResponseException$ServiceUnavailable: 503 Service Unavailable from GET http://catalog:8080/api/items
            """ },
        { "http.upstream_error", """
            AxiosError: Request failed with status code 502
                at settle (/srv/node_modules/axios/lib/core/settle.js:19:12)
                at IncomingMessage.handleStreamEnd (/srv/node_modules/axios/lib/adapters/http.js:585:11)
            """ },
        { "http.rate_limited", """
            openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for requests', 'type': 'requests', 'code': 'rate_limit_exceeded'}}
            """ },
        { "http.rate_limited", """
            botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the PutMetricData operation (reached max retries: 4): Rate exceeded
            """ },
        { "auth.credentials", """
            io.jsonwebtoken.ExpiredJwtException: JWT expired at 2024-03-01T10:00:00Z. Current time: 2024-03-01T10:05:12Z, a difference of 312000 milliseconds.
            	at io.jsonwebtoken.impl.DefaultJwtParser.parse(DefaultJwtParser.java:385)
            """ },
        { "auth.credentials", """
            HTTP/1.1 401 Unauthorized
            {"error":"invalid_token","error_description":"The access token expired"}
            """ },
        { "auth.permission", """
            botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/etl/worker is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::reports/2024/03.csv"
            """ },
        { "auth.permission", """
            Error from server (Forbidden): deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "deployments" in API group "apps" in the namespace "prod"
            """ },
        { "resource.memory", """
            2024-05-10 22:14:01.332 ERROR [kafka-consumer-1] c.e.ingest.BatchWriter : batch failed
            java.lang.OutOfMemoryError: Java heap space
            	at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
            	at java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)
            """ },
        { "resource.memory", """
            <--- Last few GCs --->
            [1:0x5e3c2a0]   912345 ms: Mark-sweep 2030.1 (2083.4) -> 2028.7 (2084.2) MB, 1821.4 / 0.0 ms  (average mu = 0.112, current mu = 0.034) allocation failure
            FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
             1: 0xb7c0c0 node::Abort() [node]
            """ },
        { "resource.memory", """
            Last State:     Terminated
              Reason:       OOMKilled
              Exit Code:    137
            Limits:
              memory:  512Mi
            """ },
        { "resource.disk", """
            2024-08-08 01:00:00.000 UTC [2211] PANIC:  could not write to file "pg_wal/xlogtemp.2211": No space left on device
            """ },
        { "resource.disk", """
            OSError: [Errno 28] No space left on device: '/var/lib/app/cache/tmp_9f2c.parquet'
            """ },
        { "resource.file_descriptors", """
            2024-02-14 08:00:01 WARN  [epollEventLoopGroup-3-1] i.n.channel.DefaultChannelPipeline - An exceptionCaught() event was fired
            java.io.IOException: Too many open files
            	at java.base/sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)
            """ },
        { "resource.file_descriptors", """
            Error: EMFILE: too many open files, open '/srv/uploads/a81f.tmp'
            """ },
        { "gpu.out_of_memory", """
            Traceback (most recent call last):
              File "train.py", line 212, in <module>
                loss.backward()
            torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 15.77 GiB of which 1.02 GiB is free.
            """ },
        { "gpu.out_of_memory", """
            2024-01-01 10:00:00.000000: W tensorflow/core/common_runtime/bfc_allocator.cc:479] Allocator (GPU_0_bfc) ran out of memory trying to allocate 3.00GiB
            tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[64,1024,1024] and type float on /job:localhost/replica:0/task:0/device:GPU:0
            """ },
        { "gpu.runtime", """
            [rank3]:[E ProcessGroupNCCL.cpp:563] [Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1021, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600123 milliseconds before timing out.
            """ },
        { "gpu.runtime", """
            RuntimeError: CUDA error: device-side assert triggered
            CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.
            For debugging consider passing CUDA_LAUNCH_BLOCKING=1.
            """ },
        { "k8s.crash_loop", """
            NAME                          READY   STATUS             RESTARTS       AGE
            checkout-7d9f8b6c5d-x2kqp     0/1     CrashLoopBackOff   9 (2m11s ago)   24m
            """ },
        { "k8s.crash_loop", """
              Warning  BackOff    3m (x40 over 12m)  kubelet  Back-off restarting failed container api in pod api-5c6d7f8-abcde_prod(1c2d)
            """ },
        { "k8s.image_pull", """
              Normal   Pulling    1m (x4 over 3m)   kubelet  Pulling image "registry.example.com/team/worker:1.4.2"
              Warning  Failed     1m (x4 over 3m)   kubelet  Failed to pull image "registry.example.com/team/worker:1.4.2": rpc error: code = NotFound desc = failed to pull and unpack image: manifest unknown
              Warning  Failed     1m (x4 over 3m)   kubelet  Error: ErrImagePull
            """ },
        { "k8s.probe_failed", """
              Warning  Unhealthy  30s (x12 over 6m)  kubelet  Liveness probe failed: Get "http://10.4.2.9:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
              Normal   Killing    30s (x4 over 5m)   kubelet  Container web failed liveness probe, will be restarted
            """ },
        { "k8s.scheduling", """
              Warning  FailedScheduling  12s (x3 over 1m)  default-scheduler  0/6 nodes are available: 2 Insufficient memory, 4 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.
            """ },
        { "k8s.evicted", """
            Status:           Failed
            Reason:           Evicted
            Message:          The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 8Gi. Container builder was using 14Gi, which exceeds its request of 0.
            """ },
        { "code.null_reference", """
            System.NullReferenceException: Object reference not set to an instance of an object.
               at Shop.Orders.OrderService.ApplyDiscount(Order order) in /src/Shop/Orders/OrderService.cs:line 88
               at Shop.Orders.OrdersController.Post(CreateOrder request) in /src/Shop/Orders/OrdersController.cs:line 41
            """ },
        { "code.null_reference", """
            TypeError: Cannot read properties of undefined (reading 'id')
                at buildInvoice (/app/src/invoice.js:42:31)
                at async handler (/app/src/routes/checkout.js:17:5)
            """ },
        { "code.null_reference", """
            Traceback (most recent call last):
              File "/srv/app/views.py", line 51, in profile
                return user.profile.display_name
            AttributeError: 'NoneType' object has no attribute 'display_name'
            """ },
        { "code.type_error", """
            java.lang.ClassCastException: class java.lang.String cannot be cast to class java.lang.Long (java.lang.String and java.lang.Long are in module java.base of loader 'bootstrap')
            	at com.example.report.Aggregator.sum(Aggregator.java:77)
            """ },
        { "code.type_error", """
            Traceback (most recent call last):
              File "/app/import_csv.py", line 30, in parse_row
                amount = float(row["amount"])
            ValueError: could not convert string to float: 'N/A'
            """ },
        { "code.index_error", """
            Traceback (most recent call last):
              File "/app/pipeline.py", line 118, in pick_first
                return items[0]
            IndexError: list index out of range
            """ },
        { "code.index_error", """
            Unhandled exception. System.Collections.Generic.KeyNotFoundException: The given key 'tenant-42' was not present in the dictionary.
               at System.Collections.Generic.Dictionary`2.get_Item(TKey key)
               at Billing.TenantCache.Get(String id) in /src/Billing/TenantCache.cs:line 23
            """ },
        { "code.stack_overflow", """
            Exception in thread "main" java.lang.StackOverflowError
            	at com.example.tree.Node.depth(Node.java:31)
            	at com.example.tree.Node.depth(Node.java:31)
            	at com.example.tree.Node.depth(Node.java:31)
            """ },
        { "code.stack_overflow", """
            RangeError: Maximum call stack size exceeded
                at normalize (/app/lib/normalize.js:12:17)
                at normalize (/app/lib/normalize.js:15:12)
            """ },
        { "code.unhandled", """
            2024-03-03 11:11:11.111 ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed
            java.lang.IllegalStateException: Queue capacity reached while state is CLOSING
            	at com.example.batch.Buffer.offer(Buffer.java:64)
            """ },
        { "code.unhandled", """
            panic: runtime error: invalid operation: unexpected state transition from "done" to "running"

            goroutine 17 [running]:
            main.(*Job).transition(0xc00012a000, {0x6a1b2c, 0x7})
            	/src/job.go:88 +0x1a5
            main.main()
            	/src/main.go:40 +0x85
            exit status 2
            """ },
        { "dependency.missing", """
            Traceback (most recent call last):
              File "/app/manage.py", line 10, in <module>
                from orders.tasks import sync
              File "/app/orders/tasks.py", line 3, in <module>
                import boto3
            ModuleNotFoundError: No module named 'boto3'
            """ },
        { "dependency.missing", """
            node:internal/modules/cjs/loader:1080
              throw err;
              ^

            Error: Cannot find module 'express'
            Require stack:
            - /srv/app/server.js
                at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)
            """ },
        { "dependency.missing", """
            java.lang.NoClassDefFoundError: org/apache/commons/lang3/StringUtils
            	at com.example.util.Names.slug(Names.java:14)
            Caused by: java.lang.ClassNotFoundException: org.apache.commons.lang3.StringUtils
            	at java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)
            """ },
        { "config.invalid", """
            ***************************
            APPLICATION FAILED TO START
            ***************************
            Description:
            Failed to bind properties under 'app.payments.timeout' to java.time.Duration:
                Property: app.payments.timeout
                Value: "30 seconds"
                Reason: failed to convert java.lang.String to java.time.Duration
            """ },
        { "config.invalid", """
            Traceback (most recent call last):
              File "/app/settings.py", line 12, in <module>
                SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
              File "/usr/local/lib/python3.12/os.py", line 714, in __getitem__
                raise KeyError(key) from None
            KeyError: 'DJANGO_SECRET_KEY'
            """ },
        { "config.invalid", """
            Unhandled exception. Microsoft.Extensions.Options.OptionsValidationException: DataAnnotation validation failed for 'KafkaOptions' members: 'BootstrapServers' with the error: 'The BootstrapServers field is required.'.
               at Microsoft.Extensions.Options.OptionsFactory`1.Create(String name)
            """ },
        { "filesystem.not_found", """
            Traceback (most recent call last):
              File "/app/load.py", line 9, in main
                with open("/data/input/prices.csv") as f:
            FileNotFoundError: [Errno 2] No such file or directory: '/data/input/prices.csv'
            """ },
        { "filesystem.not_found", """
            System.IO.DirectoryNotFoundException: Could not find a part of the path '/var/app/exports/2024-05'.
               at System.IO.FileSystem.CreateDirectory(String fullPath)
            """ },
        { "filesystem.permission", """
            PermissionError: [Errno 13] Permission denied: '/var/log/app/worker.log'
            """ },
        { "filesystem.permission", """
            Error: EACCES: permission denied, open '/usr/src/app/.cache/index.json'
                at Object.openSync (node:fs:596:3)
            """ },
        { "messaging.broker", """
            2024-05-05 12:00:00.000  WARN 1 --- [ad | producer-1] org.apache.kafka.clients.NetworkClient   : [Producer clientId=producer-1] Connection to node -1 (kafka-0.kafka:9092) could not be established. Broker may not be available.
            """ },
        { "messaging.broker", """
            %3|1714900000.123|FAIL|rdkafka#consumer-1| [thrd:kafka:9092/bootstrap]: kafka:9092/bootstrap: Connect to ipv4#10.0.0.5:9092 failed: Connection refused (after 0ms in state CONNECT)
            Confluent.Kafka.KafkaException: Local: All broker connections are down
            """ },
        { "cache.unavailable", """
            StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). There was an authentication failure; check that passwords (or client certificates) are configured correctly: (IOException) Unable to read data from the transport connection: Connection reset by peer.
            """ },
        { "cache.unavailable", """
            redis.exceptions.ConnectionError: Error 111 connecting to cache:6379. Connection refused.
            """ },
        { "concurrency.thread_pool", """
            2024-04-04 04:04:04.404 ERROR [http-nio-8080-exec-9] c.e.api.AsyncConfig : task rejected
            org.springframework.core.task.TaskRejectedException: Executor [java.util.concurrent.ThreadPoolExecutor@1b2c3d[Running, pool size = 8, active threads = 8, queued tasks = 100, completed tasks = 90211]] did not accept task
            Caused by: java.util.concurrent.RejectedExecutionException: Task java.util.concurrent.FutureTask@5e6f7a rejected from java.util.concurrent.ThreadPoolExecutor@1b2c3d[Running, pool size = 8, active threads = 8, queued tasks = 100, completed tasks = 90211]
            """ },
        { "concurrency.thread_pool", """
            [04-May-2024 10:00:00] WARNING: [pool www] server reached pm.max_children setting (50), consider raising it
            """ },
        { "data.validation", """
            2024-05-05 10:10:10.101  WARN 1 --- [nio-8080-exec-2] .w.s.m.s.DefaultHandlerExceptionResolver : Resolved [org.springframework.web.bind.MethodArgumentNotValidException: Validation failed for argument [0] in public ResponseEntity create(OrderRequest): [Field error in object 'orderRequest' on field 'quantity': rejected value [-3]; default message [must be greater than 0]]]
            """ },
        { "data.validation", """
            pydantic_core._pydantic_core.ValidationError: 2 validation errors for SignupRequest
            email
              value is not a valid email address [type=value_error, input_value='bob', input_type=str]
            age
              Field required [type=missing, input_value={'email': 'bob'}, input_type=dict]
            """ },
        { "unknown", """
            2024-05-05 10:00:00 INFO  Starting nightly job
            2024-05-05 10:00:03 ERROR Job finished with status 3
            """ },
    };
}
