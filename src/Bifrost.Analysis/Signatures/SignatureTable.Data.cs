namespace Bifrost.Analysis.Signatures;

/// <summary>
/// The knowledge base as data, one signature per line: <c>category | kind | pattern | options</c>.
/// kind: T exception type, M framework message, S status code, H hint. pattern: lower-case literals joined by
/// <c>&amp;&amp;</c> (all must occur in the line) or <c>re:</c> + a regex (case-insensitive, non-backtracking).
/// options: a severity override (C/H/M/L) and/or <c>w=</c> weight. Written from how the frameworks phrase their
/// failures (Java/Spring/Hikari, .NET/EF Core/Npgsql, Python/Django/SQLAlchemy/psycopg, Node.js, Go,
/// PostgreSQL/MySQL/SQL Server/Oracle, Kafka/RabbitMQ/Redis, Kubernetes, CUDA/NCCL/PyTorch).
/// </summary>
internal static partial class SignatureTable
{
    private const string Data = """
# ---------- database.connection ----------
database.connection | M | could not connect to server | C
database.connection | M | connection to server at && failed | C
database.connection | M | is the server running on host | C
database.connection | M | server closed the connection unexpectedly
database.connection | M | terminating connection due to administrator command
database.connection | M | the database system is starting up | C
database.connection | M | the database system is shutting down | C
database.connection | M | the database system is in recovery mode | C
database.connection | T | communicationsexception | C
database.connection | M | communications link failure | C
database.connection | M | can't connect to mysql server | C
database.connection | M | lost connection to mysql server
database.connection | M | mysql server has gone away
database.connection | M | a network-related or instance-specific error occurred while establishing a connection to sql server | C
database.connection | M | connection terminated unexpectedly
database.connection | M | connection terminated due to connection timeout
database.connection | T | jdbcconnectionexception | C
database.connection | T | cannotgetjdbcconnectionexception | w=2.4
database.connection | M | unable to acquire jdbc connection | w=1.4
database.connection | M | failed to obtain jdbc connection | w=1.4
database.connection | T | mongoserverselectionerror | C
database.connection | T | mongonetworkerror
database.connection | M | server selection timed out | C
database.connection | M | ssl syscall error: eof detected
database.connection | M | ora-12541 | C
database.connection | M | ora-12514 | C
database.connection | M | ora-03113
database.connection | M | exception while reading from stream && npgsql
database.connection | M | failed to connect to && npgsql | C
database.connection | M | error connecting to the database | C
database.connection | M | unable to connect to the database | C
database.connection | M | could not connect to the database | C
database.connection | M | database is unavailable | C
database.connection | M | connection to the database failed | C
database.connection | M | sqlstate 08001 | C
database.connection | M | sqlstate 08006
database.connection | M | re:\b(?:08001|08006|57p01)\b && sql | w=1.6
database.connection | H | sqlalchemy.exc.operationalerror | w=1.3
database.connection | H | django.db.utils.operationalerror | w=1.3
database.connection | H | psycopg2.operationalerror | w=1.3
# SQLSTATE class 08 (connection exception) and 57P0x (server shutting down), in the forms drivers print them:
# PDO "SQLSTATE[08006]", pgx "(SQLSTATE 08006)", JDBC "SQL state [08001]", MySQL client "ERROR 2002 (HY000)"
database.connection | M | sqlstate && re:sqlstate\W{0,3}(?:08\w{3}|57p0[123])\b | w=2.8
database.connection | M | sql state && re:sql state\W{0,3}(?:08\w{3}|57p0[123])\b | w=2.8
database.connection | M | sqlstate[hy000] [ && re:sqlstate\[hy000\] \[(?:2002|2003|2006|2013)\] | w=3.0
database.connection | M | can't connect to local mysql server | C w=3.2
database.connection | M | error 2002 && re:\berror 200[236] \(hy000\) | w=3.0
database.connection | T | connectionnotestablished | w=2.8
database.connection | T | pg::connectionbad | C w=3.0
# ---------- database.pool_exhausted ----------
database.pool_exhausted | M | connection is not available, request timed out after | w=3.2
database.pool_exhausted | T | sqltransientconnectionexception | w=2.6
database.pool_exhausted | M | the connection pool has been exhausted | w=3.2
database.pool_exhausted | M | prior to obtaining a connection from the pool | w=3.2
database.pool_exhausted | M | queuepool limit of size | w=3.2
database.pool_exhausted | T | pooltimeout | w=3.0
database.pool_exhausted | M | couldn't get a connection after | w=3.0
database.pool_exhausted | M | too many clients already | w=3.2
database.pool_exhausted | M | remaining connection slots are reserved | w=3.2
database.pool_exhausted | M | too many connections | w=2.6
database.pool_exhausted | M | max_connections
database.pool_exhausted | M | cannot get a connection, pool error | w=3.0
database.pool_exhausted | M | timeout waiting for idle object | w=3.0
database.pool_exhausted | T | connectionacquiretimeouterror | w=3.0
database.pool_exhausted | M | timeout acquiring a connection | w=3.0
database.pool_exhausted | M | timed out fetching a new connection from the connection pool | w=3.2
database.pool_exhausted | M | unable to acquire a connection from the pool | w=3.0
database.pool_exhausted | M | connection pool exhausted | w=3.0
database.pool_exhausted | M | pool exhausted && connection | w=2.6
database.pool_exhausted | M | er_con_count_error | w=3.0
database.pool_exhausted | M | 53300 && re:\b53300\b | w=1.8
database.pool_exhausted | H | hikaripool && total= && waiting= | w=1.8
database.pool_exhausted | M | could not obtain a && re:could not obtain a (?:database )?connection (?:from the pool )?within | w=3.4
database.pool_exhausted | M | all pooled connections were in use | w=3.4
database.pool_exhausted | M | connection not available and request was dropped from queue | w=3.4
database.pool_exhausted | T | activerecord::connectiontimeouterror | w=3.2
database.pool_exhausted | T | mongowaitqueuefullerror | w=3.2
database.pool_exhausted | M | sqlstate && re:sql ?state\W{0,3}53300\b | w=3.0
database.pool_exhausted | M | sqlstate[hy000] [1040] | w=3.2
# Elixir DBConnection: the pool checkout call timing out ("gen_server.call(#PID<…>, {:checkout, …}, 5000) … time out")
database.pool_exhausted | M | {:checkout, && re:gen_server\.call\(.{0,80}\{:checkout, | w=3.0
# ---------- database.deadlock ----------
database.deadlock | T | deadlockdetected | w=3.2
database.deadlock | M | deadlock detected | w=3.0
database.deadlock | M | deadlock found when trying to get lock | w=3.2
database.deadlock | T | cannotacquirelockexception
database.deadlock | T | deadlockloserdataaccessexception | w=3.2
database.deadlock | M | lock wait timeout exceeded | w=3.2
database.deadlock | T | pessimisticlockexception
database.deadlock | T | locktimeoutexception
database.deadlock | T | serializationfailure | w=3.2
database.deadlock | M | could not serialize access | w=3.2
database.deadlock | M | chosen as the deadlock victim | w=3.2
database.deadlock | M | ora-00060
database.deadlock | M | could not obtain lock on row
database.deadlock | M | canceling statement due to lock timeout | w=3.0
database.deadlock | M | 40p01 && re:\b40p01\b
database.deadlock | H | 40001 && re:\b40001\b
database.deadlock | H | deadlock
# PostgreSQL's deadlock report names the two waits ("Process 467 waits for ShareLock on transaction 13479356; blocked by process 466")
database.deadlock | M | waits for && re:process \d+ waits for \w+lock on .{1,80}blocked by process | w=3.2
database.deadlock | M | lock request time out period exceeded | w=3.2
database.deadlock | M | sqlstate && re:sql ?state\W{0,3}40(?:001|p01|000|002|003)\b | w=3.0
database.deadlock | M | error 1213 && re:\berror 1213\b | w=3.0
database.deadlock | M | error 1205 && re:\berror 1205\b | w=3.0
# ---------- database.constraint ----------
database.constraint | T | integrityerror
database.constraint | T | uniqueviolation | w=3.2
database.constraint | T | foreignkeyviolation | w=3.2
database.constraint | T | notnullviolation | w=3.2
database.constraint | T | checkviolation | w=3.2
database.constraint | M | violates unique constraint | w=3.2
database.constraint | M | violates foreign key constraint | w=3.2
database.constraint | M | violates not-null constraint | w=3.2
database.constraint | M | violates check constraint | w=3.2
database.constraint | M | duplicate key value | w=3.0
database.constraint | M | duplicate entry && re:duplicate entry '.{0,200}' for key | w=3.2
database.constraint | M | a foreign key constraint fails | w=3.2
database.constraint | T | dataintegrityviolationexception | w=2.8
database.constraint | T | org.hibernate.exception.constraintviolationexception | w=3.0
database.constraint | T | sqlintegrityconstraintviolationexception | w=3.2
database.constraint | M | cannot insert duplicate key | w=3.2
database.constraint | M | violation of primary key constraint | w=3.2
database.constraint | M | violation of unique key constraint | w=3.2
database.constraint | M | conflicted with the foreign key constraint | w=3.2
database.constraint | M | cannot insert the value null into column | w=3.2
database.constraint | T | sequelizeuniqueconstrainterror | w=3.2
database.constraint | T | sequelizeforeignkeyconstrainterror | w=3.2
database.constraint | M | unique constraint failed | w=3.2
database.constraint | M | not null constraint failed | w=3.2
database.constraint | M | foreign key constraint failed | w=3.2
database.constraint | M | ora-00001
database.constraint | M | e11000 duplicate key error | w=3.2
database.constraint | M | re:\b2350[1-5]\b && sql | w=1.8
database.constraint | H | current transaction is aborted, commands ignored until end of transaction block | w=1.6
database.constraint | H | dbupdateexception | w=1.2
database.constraint | M | sqlstate && re:sql ?state\W{0,3}23\w{3}\b | w=3.0
database.constraint | M | integrity constraint violation | w=3.2
# ---------- database.query ----------
database.query | T | sqlsyntaxerrorexception
database.query | T | programmingerror | w=2.6
database.query | T | undefinedtable | w=3.2
database.query | T | undefinedcolumn | w=3.2
database.query | T | undefinedfunction | w=3.2
database.query | M | syntax error at or near | w=3.0
database.query | M | you have an error in your sql syntax | w=3.2
database.query | M | relation " && re:relation "[^"]{1,200}" does not exist | w=3.0
database.query | M | does not exist && re:column "?[\w.]{1,200}"? (?:of relation "[^"]{1,200}" )?does not exist | w=3.0
database.query | M | unknown column ' && re:unknown column '[^']{1,200}' in | w=3.2
database.query | M | doesn't exist && re:table '[^']{1,200}' doesn't exist | w=3.2
database.query | M | no such table | w=3.0
database.query | M | no such column | w=3.0
database.query | M | invalid object name | w=3.0
database.query | M | invalid column name | w=3.0
database.query | M | ora-00942
database.query | M | ora-00904
database.query | M | invalid user.table.column
database.query | M | operator does not exist
database.query | M | invalid input syntax for type
database.query | M | could not determine data type of parameter
database.query | M | value too long for type
database.query | M | there is no unique or exclusion constraint matching
database.query | M | does not exist && re:function [\w.]{1,200}\(.{0,200}\) does not exist
database.query | T | badsqlgrammarexception | w=3.0
database.query | T | sqlgrammarexception | w=3.0
database.query | M | er_parse_error
database.query | M | er_no_such_table
database.query | M | er_bad_field_error
database.query | M | unapplied migration && re:you have \d+ unapplied migration | w=2.6
database.query | M | pending model changes
database.query | M | 42p01 && re:\b42p01\b | w=2.0
database.query | M | 42703 && re:\b42703\b | w=2.0
database.query | M | 42601 && re:\b42601\b | w=2.0
database.query | M | 42883 && re:\b42883\b | w=2.0
database.query | H | ora- && re:\bora-\d{5}\b | w=1.4
database.query | H | sequelizedatabaseerror | w=1.4
# SQLSTATE class 42 (syntax or access rule; 42501 is a permission), 22 (data exception), 57014 (statement cancelled)
database.query | M | sqlstate && re:sql ?state\W{0,3}(?:42(?!501)\w{3}|22\w{3}|57014)\b | w=2.8
database.query | M | base table or view not found | w=3.2
database.query | M | column not found && re:column not found: \d+ unknown column | w=3.2
# ---------- database.auth ----------
database.auth | M | password authentication failed for user | w=3.2
database.auth | M | access denied for user && re:access denied for user '[^']{0,100}'@ | w=3.2
database.auth | M | login failed for user | w=3.2
database.auth | M | role " && re:role "[^"]{1,100}" does not exist | w=3.2
database.auth | M | no pg_hba.conf entry | w=3.2
database.auth | M | ora-01017 | w=3.2
database.auth | M | unknown authentication response | w=3.0
database.auth | M | scram authentication requires | w=3.0
database.auth | M | client does not support authentication protocol requested by server | w=3.2
database.auth | M | authentication failed && mongo | w=2.8
database.auth | M | 28p01 && re:\b28p01\b | w=2.0
database.auth | M | er_access_denied_error | w=3.2
database.auth | M | sqlstate && re:sql ?state\W{0,3}28(?:000|p01)\b | w=3.0
database.auth | M | sqlstate[hy000] [1045] | w=3.2
database.auth | M | pg_hba.conf rejects connection | w=3.2
# ---------- network.connection_refused ----------
network.connection_refused | T | java.net.connectexception | w=2.8
network.connection_refused | T | connectionrefusederror | w=3.0
network.connection_refused | M | connection refused
network.connection_refused | M | refused && re:connection to \S{1,200} refused | w=2.4
network.connection_refused | M | econnrefused
network.connection_refused | M | actively refused
network.connection_refused | M | denegó expresamente
network.connection_refused | M | socketexception (10061)
network.connection_refused | M | error 10061
network.connection_refused | M | errno 111
network.connection_refused | M | os error 111
network.connection_refused | M | connecting to && re:error \d+ connecting to [\w.-]{1,100}:\d+ | w=1.8
network.connection_refused | H | no route to host | w=1.6
network.connection_refused | H | network is unreachable | w=1.6
network.connection_refused | H | connection reset by peer | w=1.5
network.connection_refused | H | econnreset | w=1.5
network.connection_refused | H | socket hang up | w=1.2
network.connection_refused | H | code = unavailable | w=1.4
network.connection_refused | H | failed to connect to | w=1.2
# HAProxy health checks ("is DOWN, reason: Layer4 connection problem"), Envoy ("reset reason: connection failure")
network.connection_refused | M | layer4 connection problem | w=2.4
network.connection_refused | M | reset reason: connection failure | w=2.4
network.connection_refused | M | errno 111 && re:\[errno 111\] | w=2.4
network.connection_refused | M | error: 111 && re:\berror: 111\b | w=2.4
# ---------- network.timeout ----------
network.timeout | T | sockettimeoutexception | w=2.8
network.timeout | T | connecttimeoutexception | w=2.8
network.timeout | T | httpconnecttimeoutexception | w=2.8
network.timeout | T | readtimeoutexception | w=2.8
network.timeout | T | readtimeouterror | w=2.8
network.timeout | T | requests.exceptions.readtimeout | w=2.8
network.timeout | T | requests.exceptions.connecttimeout | w=2.8
network.timeout | M | read timed out
network.timeout | M | connect timed out
network.timeout | M | connection timed out
network.timeout | M | operation timed out
network.timeout | M | context deadline exceeded
network.timeout | M | deadline_exceeded
network.timeout | M | deadline exceeded
network.timeout | M | client.timeout exceeded
network.timeout | M | i/o timeout
network.timeout | M | etimedout
network.timeout | M | esockettimedout
network.timeout | M | httpclient.timeout | w=3.0
network.timeout | M | ms exceeded && re:timeout of \d+\s?ms exceeded
network.timeout | M | socketexception (10060)
network.timeout | M | error 10060
network.timeout | M | upstream timed out
network.timeout | M | request timed out | w=1.8
network.timeout | T | timeouterror | w=2.0
network.timeout | T | system.timeoutexception | w=2.4
network.timeout | H | taskcanceledexception | w=1.2
network.timeout | H | timed out | w=1.2
network.timeout | H | timeout | w=0.9
network.timeout | M | layer4 timeout | w=2.4
network.timeout | M | layer7 timeout | w=2.4
# ---------- network.dns ----------
network.dns | T | unknownhostexception | w=3.2
network.dns | M | getaddrinfo enotfound | w=3.2
network.dns | M | enotfound | w=2.6
network.dns | M | eai_again | w=2.8
network.dns | M | name or service not known | w=3.0
network.dns | M | nodename nor servname provided | w=3.0
network.dns | M | temporary failure in name resolution | w=3.2
network.dns | M | no such host | w=3.0
network.dns | M | could not resolve host | w=3.0
network.dns | M | nxdomain | w=3.0
network.dns | M | could not translate host name | w=3.2
network.dns | M | name resolution failed
network.dns | M | failed to resolve
network.dns | M | no address associated with hostname | w=3.0
network.dns | M | name does not resolve | w=3.0
network.dns | M | getaddrinfo failed | w=3.0
network.dns | M | server misbehaving
network.dns | M | socketexception (11001) | w=3.0
network.dns | M | no such host is known | w=3.0
# Go's resolver ("lookup db on 10.0.0.10:53: no such host" / ": i/o timeout"), nginx ("host not found in upstream"),
# Dart ("Failed host lookup"), a UDP read from port 53 timing out (CoreDNS forwarding)
network.dns | M | lookup  && re:\blookup [\w.-]{1,200}(?: on [\w.:\[\]]{3,60})?\s?: (?:i/o timeout|no such host|server misbehaving|connection refused|read: ) | w=3.2
network.dns | M | host not found in upstream | w=3.4
network.dns | M | could not be resolved | w=2.8
network.dns | M | host not found | w=2.6
network.dns | M | failed host lookup | w=3.2
network.dns | M | unable to resolve host | w=3.0
network.dns | M | :53: && re:\d{1,3}(?:\.\d{1,3}){3}:53: (?:i/o timeout|connection refused|read: connection refused) | w=3.2
# ---------- network.tls ----------
network.tls | T | sslhandshakeexception | w=3.2
network.tls | M | pkix path building failed | w=3.2
network.tls | M | unable to find valid certification path | w=3.2
network.tls | M | certificate verify failed | w=3.2
network.tls | M | x509: | w=2.8
network.tls | M | certificate has expired | w=3.2
network.tls | M | certificate signed by unknown authority | w=3.2
network.tls | M | self signed certificate | w=3.0
network.tls | M | self-signed certificate | w=3.0
network.tls | M | unable to get local issuer certificate | w=3.2
network.tls | M | the remote certificate is invalid | w=3.2
network.tls | M | the ssl connection could not be established | w=3.0
network.tls | M | ssl routines
network.tls | M | handshake failure
network.tls | M | tls handshake
network.tls | M | does not match any of the subject alternative names | w=3.2
network.tls | M | err_tls_cert_altname_invalid | w=3.2
network.tls | M | unable_to_verify_leaf_signature | w=3.2
network.tls | M | depth_zero_self_signed_cert | w=3.2
network.tls | M | cert_has_expired | w=3.2
network.tls | T | sslerror | w=2.6
network.tls | M | wrong version number
network.tls | M | remotecertificatenamemismatch | w=3.2
network.tls | M | remotecertificatechainerrors | w=3.2
network.tls | H | certificate | w=1.1
# ---------- http.upstream_error ----------
http.upstream_error | S | bad gateway && re:\b50[0-4] bad gateway
http.upstream_error | S | service unavailable && re:\b50[0-4] service unavailable
http.upstream_error | S | gateway time && re:\b50[0-4] gateway time
http.upstream_error | S | internal server error && re:\b50[0-4] internal server error
http.upstream_error | S | status && re:(?:status(?:[ _-]?code)?|response code|http/\d(?:\.\d)?|statuscode|returned|error code)["':= ]{0,4}5\d\d\b | w=2.0
http.upstream_error | S | response code && re:(?:status(?:[ _-]?code)?|response code|http/\d(?:\.\d)?|statuscode|returned|error code)["':= ]{0,4}5\d\d\b | w=2.0
http.upstream_error | S | http/ && re:(?:status(?:[ _-]?code)?|response code|http/\d(?:\.\d)?|statuscode|returned|error code)["':= ]{0,4}5\d\d\b | w=2.0
http.upstream_error | S | returned && re:(?:status(?:[ _-]?code)?|response code|http/\d(?:\.\d)?|statuscode|returned|error code)["':= ]{0,4}5\d\d\b | w=2.0
http.upstream_error | S | error code && re:(?:status(?:[ _-]?code)?|response code|http/\d(?:\.\d)?|statuscode|returned|error code)["':= ]{0,4}5\d\d\b | w=2.0
http.upstream_error | M | response status code does not indicate success: 5 | w=3.0
http.upstream_error | M | bad gateway | w=2.4
http.upstream_error | M | service unavailable | w=2.0
http.upstream_error | M | gateway timeout | w=2.4
http.upstream_error | M | upstream connect error | w=2.2
http.upstream_error | M | no healthy upstream | w=2.6
http.upstream_error | M | request failed with status code && re:request failed with status code 5\d\d | w=3.0
http.upstream_error | M | server error && re:\b5\d\d server error\b | w=3.0
http.upstream_error | T | httpservererrorexception | w=3.0
http.upstream_error | T | webclientresponseexception$ && re:webclientresponseexception\$(?:internalservererror|badgateway|serviceunavailable|gatewaytimeout) | w=3.0
http.upstream_error | H | internal server error | w=1.1
http.upstream_error | M | unexpected token < && re:unexpected token <.{0,300}\b50[0-4]\b | w=3.0
http.upstream_error | M | no live upstreams | w=2.8
http.upstream_error | M | upstream prematurely closed connection | w=2.8
# Google Cloud load balancer statusDetails values for a failed backend
http.upstream_error | M | backend_connection_closed_before_data_sent_to_client | w=3.0
http.upstream_error | M | failed_to_pick_backend | w=3.0
http.upstream_error | M | failed_to_connect_to_backend | w=3.0
http.upstream_error | M | backend_timeout | w=2.8
# an HTML error page where JSON was expected: the body came from a proxy or error handler, not the API
http.upstream_error | M | unexpected token && re:unexpected token '?<'? | w=2.9
http.upstream_error | M | <!doctype && json | w=2.9
http.upstream_error | H | has no server available | C w=1.6
http.upstream_error | M | the server encountered a temporary error and could not complete your request | w=3.0
# ---------- http.rate_limited ----------
http.rate_limited | S | 429 && re:(?:status|code|http|error|returned)\D{0,12}\b429\b|\b429 too many | w=2.6
http.rate_limited | M | too many requests | w=2.8
http.rate_limited | M | rate limit | w=2.8
http.rate_limited | M | ratelimit | w=2.6
http.rate_limited | M | rate-limit | w=2.6
http.rate_limited | M | throttl | w=2.4
http.rate_limited | M | quota exceeded | w=2.2
http.rate_limited | M | resource_exhausted | w=1.8
http.rate_limited | T | throttlingexception | w=3.0
http.rate_limited | M | slowdown: please reduce your request rate | w=3.0
http.rate_limited | H | retry-after | w=1.2
http.rate_limited | M | rate exceeded | w=2.8
http.rate_limited | M | requestlimitexceeded | w=3.0
http.rate_limited | M | toomanyrequests | w=2.8
http.rate_limited | M | too_many_requests | w=2.8
# ---------- auth.credentials ----------
auth.credentials | S | 401 && re:(?:status|code|http|error|returned)\D{0,12}\b401\b|\b401 unauthorized | w=2.2
auth.credentials | M | unauthorized | w=1.6
auth.credentials | M | invalid token | w=2.6
auth.credentials | M | token is expired | w=3.0
auth.credentials | M | token expired | w=2.8
auth.credentials | M | token has expired | w=2.8
auth.credentials | M | jwt expired | w=3.0
auth.credentials | M | invalid_grant | w=3.0
auth.credentials | M | invalid api key | w=3.0
auth.credentials | M | incorrect api key | w=3.0
auth.credentials | M | invalid credentials | w=2.8
auth.credentials | M | bad credentials | w=2.8
auth.credentials | M | authentication failed | w=1.8
auth.credentials | T | expiredjwtexception | w=3.2
auth.credentials | T | securitytokenexpiredexception | w=3.2
auth.credentials | T | securitytokeninvalidsignatureexception | w=3.2
auth.credentials | T | badcredentialsexception | w=3.2
auth.credentials | M | signature verification failed | w=3.0
auth.credentials | M | signaturedoesnotmatch | w=3.2
auth.credentials | M | invalidaccesskeyid | w=3.2
auth.credentials | M | security token included in the request is | w=3.2
auth.credentials | M | expiredtoken | w=3.0
auth.credentials | M | invalid_client | w=3.0
auth.credentials | M | code = unauthenticated | w=3.0
auth.credentials | M | lifetime validation failed | w=3.2
auth.credentials | M | idx10 && re:\bidx10(?:223|501|503|511)\b | w=3.0
auth.credentials | M | sasl authentication failed | w=3.0
auth.credentials | M | authentication required | w=2.0
auth.credentials | M | invalid signature | w=2.6
auth.credentials | M | api key not valid | w=3.0
# ---------- auth.permission ----------
auth.permission | S | 403 && re:(?:status|code|http|error|returned)\D{0,12}\b403\b|\b403 forbidden | w=2.2
auth.permission | M | forbidden | w=2.2
auth.permission | M | accessdenied | w=2.8
auth.permission | M | access denied | w=1.8
auth.permission | M | permission denied for && re:permission denied for (?:schema|table|relation|database|sequence|function|view) | w=3.2
auth.permission | M | is not authorized to perform | w=3.2
auth.permission | M | at the cluster scope && re:cannot (?:get|list|watch|create|update|patch|delete) (?:resource )?"?[\w.]{1,60}"? (?:in api group .{0,60})?(?:at the cluster scope|in the namespace) | w=3.2
auth.permission | M | in the namespace && re:cannot (?:get|list|watch|create|update|patch|delete) (?:resource )?"?[\w.]{1,60}"? (?:in api group .{0,60})?(?:at the cluster scope|in the namespace) | w=3.2
auth.permission | T | org.springframework.security.access.accessdeniedexception | w=3.2
auth.permission | M | insufficient permissions | w=3.0
auth.permission | M | insufficient_scope | w=3.0
auth.permission | M | does not have permission | w=3.0
auth.permission | M | permission_denied | w=2.8
auth.permission | M | authorizationfailed | w=3.0
auth.permission | T | authorizationexception | w=2.8
auth.permission | M | not authorized | w=2.2
auth.permission | M | missing permissions | w=3.0
auth.permission | M | sqlstate && re:sql ?state\W{0,3}42501\b | w=3.0
# ---------- resource.memory ----------
resource.memory | T | outofmemoryerror | w=3.2
resource.memory | M | java heap space | w=3.2
resource.memory | M | gc overhead limit exceeded | w=3.2
resource.memory | M | metaspace && outofmemory | w=3.2
resource.memory | T | memoryerror | w=3.0
resource.memory | M | oomkilled | C w=3.4
resource.memory | M | out of memory: killed process | C w=3.4
resource.memory | M | invoked oom-killer | C w=3.4
resource.memory | M | oom-kill | C w=3.2
resource.memory | M | killed by the oom killer | C w=3.4
resource.memory | M | cannot allocate memory | w=3.0
resource.memory | M | enomem | w=2.6
resource.memory | M | javascript heap out of memory | C w=3.4
resource.memory | M | allocation failed - javascript heap | C w=3.4
resource.memory | M | fatal error: runtime: out of memory | C w=3.4
resource.memory | M | 137 && re:exit(?:ed)?(?: with)? code:?\s*\(?137\b | C w=2.4
resource.memory | M | signal 9 | C w=2.0
resource.memory | M | sigkill | C w=2.0
resource.memory | T | system.outofmemoryexception | w=3.2
resource.memory | T | insufficientexecutionstackexception | w=1.0
resource.memory | M | insufficient memory | w=2.6
resource.memory | M | memory limit exceeded | w=2.8
resource.memory | M | exceeded memory limit | w=2.8
resource.memory | M | std::bad_alloc | w=2.8
resource.memory | M | out of memory | w=2.4
resource.memory | H | oom && re:\boom\b | w=1.4
resource.memory | M | allowed memory size of && exhausted | w=3.4
resource.memory | M | memory allocation of && re:memory allocation of \d+ bytes failed | C w=3.2
resource.memory | M | memory quota exceeded | w=3.2
resource.memory | M | memory quota vastly exceeded | C w=3.4
resource.memory | M | oom command not allowed | w=3.0
resource.memory | M | failed to allocate memory | w=2.6
resource.memory | M | errno 12 && re:\[errno 12\] | w=2.6
resource.memory | M | sqlstate && re:sql ?state\W{0,3}53200\b | w=3.0
# ---------- resource.disk ----------
resource.disk | M | no space left on device | C w=3.4
resource.disk | M | enospc | C w=3.2
resource.disk | M | disk quota exceeded | C w=3.4
resource.disk | M | disk full | C w=3.0
resource.disk | M | could not extend file | C w=3.2
resource.disk | M | not enough space on the disk | C w=3.2
resource.disk | M | flood stage disk watermark | C w=3.2
resource.disk | M | index read-only / allow delete | C w=3.2
resource.disk | M | read-only-allow-delete | C w=3.2
resource.disk | M | error 1114 && re:error 1114.{0,40}table .{0,100} is full | C w=3.0
resource.disk | M | insufficient disk space | C w=3.0
resource.disk | M | low disk space | C w=2.6
resource.disk | M | out of disk | C w=2.8
resource.disk | M | disk is full | C w=3.2
resource.disk | M | database or disk is full | C w=3.2
resource.disk | M | sqlstate && re:sql ?state\W{0,3}53100\b | C w=3.0
# errno 28 is ENOSPC whatever wording the program around it uses ("failed with error 28", "[Errno 28]", "os error 28")
resource.disk | M | error 28 && re:\b(?:os )?error 28\b | w=2.6
resource.disk | M | errno 28 && re:\berrno 28\b | w=2.6
resource.disk | M | error number 28 && re:\berror number 28\b | w=2.6
# ---------- resource.file_descriptors ----------
resource.file_descriptors | M | too many open files | w=3.6
resource.file_descriptors | M | emfile | w=3.2
resource.file_descriptors | M | errno 24 && re:errno 24\b | w=2.6
resource.file_descriptors | M | error: 24 && re:error: 24\b | w=2.6
resource.file_descriptors | M | file descriptor limit | w=3.0
resource.file_descriptors | M | out of file descriptors | w=3.0
# ---------- gpu.out_of_memory ----------
gpu.out_of_memory | M | cuda out of memory | w=3.6
gpu.out_of_memory | T | torch.outofmemoryerror | w=3.6
gpu.out_of_memory | T | torch.cuda.outofmemoryerror | w=3.6
gpu.out_of_memory | M | cublas_status_alloc_failed | w=3.6
gpu.out_of_memory | M | cudnn_status_alloc_failed | w=3.6
gpu.out_of_memory | M | cudamalloc failed | w=3.6
gpu.out_of_memory | M | cuda_error_out_of_memory | w=3.6
gpu.out_of_memory | M | out of memory && cuda | w=3.4
gpu.out_of_memory | M | oom when allocating tensor | w=3.6
gpu.out_of_memory | M | failed to allocate && gpu | w=3.0
gpu.out_of_memory | M | gpu memory && exhausted | w=3.2
gpu.out_of_memory | M | hiperroroutofmemory | w=3.6
gpu.out_of_memory | M | unable to allocate backend buffer | w=3.0
gpu.out_of_memory | M | out of memory && gpu | w=3.2
# ---------- gpu.runtime ----------
gpu.runtime | M | nccl error | w=3.4
gpu.runtime | M | ncclsystemerror | w=3.4
gpu.runtime | M | ncclinternalerror | w=3.4
gpu.runtime | M | ncclunhandledcudaerror | w=3.4
gpu.runtime | M | watchdog caught collective operation timeout | w=3.6
gpu.runtime | M | cuda driver version is insufficient | w=3.6
gpu.runtime | M | no cuda-capable device | w=3.6
gpu.runtime | M | device-side assert triggered | w=3.6
gpu.runtime | M | .cu: && re:\.cu:\d+: .{0,200}assertion .{0,200} failed | w=3.4
gpu.runtime | M | illegal memory access was encountered | w=3.4
gpu.runtime | M | xid && re:nvrm: xid|\bxid\b.{0,40}(?:gpu|nvrm|pci) | w=3.4
gpu.runtime | M | gpu has fallen off the bus | w=3.6
gpu.runtime | M | found no nvidia driver | w=3.6
gpu.runtime | M | nvidia-smi has failed | w=3.4
gpu.runtime | M | cuda driver initialization failed | w=3.4
gpu.runtime | M | cuda initialization | w=2.8
gpu.runtime | M | cuda error: | w=2.8
gpu.runtime | M | cuda_error_ | w=2.6
gpu.runtime | M | cudaerror | w=2.6
gpu.runtime | M | cudnn_status_ | w=2.6
gpu.runtime | M | libcuda && cannot open shared object | w=3.4
gpu.runtime | M | libcudart && cannot open shared object | w=3.4
gpu.runtime | M | nccl && timeout | w=3.0
gpu.runtime | H | nccl | w=1.4
gpu.runtime | M | no kernel image is available for execution on the device | w=3.6
gpu.runtime | M | failed to initialize nvml | w=3.4
gpu.runtime | M | driver/library version mismatch | w=3.6
gpu.runtime | M | nvidia-container-cli | w=3.0
gpu.runtime | M | could not select device driver && gpu | w=3.4
gpu.runtime | M | cuda capability && re:cuda capability (?:sm_)?[\d.]+ .{0,80}(?:not compatible|no longer supports|too old|not supported)|no longer supports this gpu | w=2.8
gpu.runtime | M | no longer supports this gpu | w=2.8
gpu.runtime | M | fallen off the bus | w=3.4
gpu.runtime | M | nvidia probe routine failed | w=3.2
# ---------- k8s.crash_loop ----------
k8s.crash_loop | M | crashloopbackoff | C w=3.4
k8s.crash_loop | M | back-off restarting failed container | C w=3.4
k8s.crash_loop | M | restart count: && re:restart count:\s+(?:[3-9]|\d{2,}) | C w=1.4
# the same restart loop under systemd, supervisord, Docker and pm2 (taxonomy: "container exited repeatedly")
k8s.crash_loop | M | start request repeated too quickly | C w=3.4
k8s.crash_loop | M | restart counter is at && re:restart counter is at (?:[3-9]|\d{2,}) | C w=2.6
k8s.crash_loop | M | too many start retries too quickly | C w=3.4
k8s.crash_loop | M | too many unstable restarts | C w=3.4
k8s.crash_loop | M | restarting ( && re:\brestarting \(\d+\) | C w=2.8
# ---------- k8s.image_pull ----------
k8s.image_pull | M | imagepullbackoff | w=3.6
k8s.image_pull | M | errimagepull | w=3.6
k8s.image_pull | M | manifest unknown | w=3.2
k8s.image_pull | M | pull access denied | w=3.6
k8s.image_pull | M | failed to pull image | w=3.6
k8s.image_pull | M | back-off pulling image | w=3.6
k8s.image_pull | M | failing to pull image | w=3.6
k8s.image_pull | M | repository does not exist or may require | w=3.4
k8s.image_pull | M | errimageneverpull | w=3.6
k8s.image_pull | M | invalidimagename | w=3.6
# ---------- k8s.probe_failed ----------
k8s.probe_failed | M | liveness probe failed | H w=3.6
k8s.probe_failed | M | readiness probe failed | M w=3.6
k8s.probe_failed | M | startup probe failed | H w=3.6
k8s.probe_failed | M | probe failed | w=3.0
k8s.probe_failed | H | unhealthy: | w=1.4
k8s.probe_failed | M | probe errored | w=3.0
k8s.probe_failed | M | failed liveness probe | H w=3.4
k8s.probe_failed | M | failed readiness probe | w=3.4
k8s.probe_failed | M | failed startup probe | H w=3.4
# ---------- k8s.scheduling ----------
k8s.scheduling | M | failedscheduling | w=3.6
k8s.scheduling | M | nodes are available && re:\d+/\d+ nodes are available | w=3.4
k8s.scheduling | M | insufficient  && re:insufficient (?:cpu|memory|nvidia\.com/gpu|ephemeral-storage|pods) | w=3.2
k8s.scheduling | M | didn't match node selector | w=3.4
k8s.scheduling | M | didn't match pod's node affinity | w=3.4
k8s.scheduling | M | untolerated taint | w=3.4
k8s.scheduling | M | that the pod didn't tolerate | w=3.4
k8s.scheduling | M | unschedulable | w=3.0
k8s.scheduling | M | unbound immediate persistentvolumeclaims | w=3.6
k8s.scheduling | M | waiting for first consumer to be created before binding | w=2.8
# ---------- k8s.evicted ----------
k8s.evicted | M | evicted | w=3.2
k8s.evicted | M | the node was low on resource | w=3.6
k8s.evicted | M | the node had condition | w=3.4
k8s.evicted | M | ephemeral local storage usage exceeds | w=3.6
k8s.evicted | M | node had condition: [ && re:node had condition: \[(?:disk|memory|pid)pressure\] | w=3.6
k8s.evicted | M | evictionthresholdmet | w=3.4
k8s.evicted | M | attempting to reclaim && re:attempting to reclaim (?:ephemeral-storage|memory|nodefs|imagefs|pids) | w=3.2
# ---------- code.null_reference ----------
code.null_reference | T | nullpointerexception | w=3.0
code.null_reference | T | nullreferenceexception | w=3.2
code.null_reference | M | object reference not set to an instance of an object | w=3.2
code.null_reference | M | 'nonetype' object | w=3.2

code.null_reference | M | undefined is not an object | w=3.2
code.null_reference | M | null is not an object | w=3.2
code.null_reference | M | nil pointer dereference | w=3.2
code.null_reference | M | on a null object reference | w=3.2
code.null_reference | T | argumentnullexception | w=3.0
code.null_reference | M | value cannot be null | w=3.0
code.null_reference | M | on null && re:call to a member function \w+\(\) on null | w=3.2
code.null_reference | M | for nil:nilclass | w=3.2
code.null_reference | M | propert && re:cannot (?:read|set) propert(?:y|ies) (?:['"][^'"]{0,100}['"] )?of (?:undefined|null) | w=3.2
code.null_reference | M | cannot destructure property | w=3.0
code.null_reference | M | undefined method && re:undefined method .{1,100} for nil\b | w=3.2
code.null_reference | M | attempt to read property && on null | w=3.2
code.null_reference | M | on a `none` value | w=3.0
code.null_reference | M | null check operator used on a null value | w=3.2
code.null_reference | M | was called on null | w=3.6
code.null_reference | M | assignment to entry in nil map | w=3.2
# ---------- code.type_error ----------
code.type_error | T | classcastexception | w=3.0
code.type_error | T | invalidcastexception | w=3.0
code.type_error | T | typeerror | w=2.2
code.type_error | T | valueerror | w=2.4
code.type_error | T | numberformatexception | w=3.0
code.type_error | T | system.formatexception | w=3.0
code.type_error | T | formatexception | w=2.8
code.type_error | T | jsondecodeerror | w=3.0
code.type_error | T | jsonparseexception | w=2.8
code.type_error | T | mismatchedinputexception | w=2.6
code.type_error | T | system.text.json.jsonexception | w=2.8
code.type_error | T | newtonsoft.json.jsonreaderexception | w=2.8
code.type_error | T | jsonserializationexception | w=2.6
code.type_error | M | unexpected token && json | w=2.6
code.type_error | M | json: cannot unmarshal | w=3.0
code.type_error | M | invalid literal for int() | w=3.0
code.type_error | M | could not convert string to | w=3.0
code.type_error | M | input string was not in a correct format | w=3.0
code.type_error | M | is not a function | w=2.6
code.type_error | M | cannot unmarshal | w=2.2
code.type_error | T | illegalargumentexception | w=1.8
code.type_error | T | argumentexception | w=1.6
code.type_error | H | jsonmappingexception | w=1.6
code.type_error | M | cannot be cast to | w=2.8
# serde_json's parse error ("expected value at line 1 column 1", Debug: Error("expected value", line: 1, column: 1))
code.type_error | M | expected value && re:expected value(?:", line: \d+|", \d+, \d+| at line \d+) | w=2.8
# ---------- code.index_error ----------
code.index_error | T | indexoutofboundsexception | w=3.2
code.index_error | T | indexoutofrangeexception | w=3.2
code.index_error | T | indexerror | w=3.0
code.index_error | T | keyerror | w=2.8
code.index_error | T | keynotfoundexception | w=3.2
code.index_error | T | argumentoutofrangeexception | w=3.2
code.index_error | M | index out of range | w=3.2
code.index_error | M | out of bounds for length && re:index -?\d+ out of bounds for length | w=3.2
code.index_error | M | slice bounds out of range | w=3.2
code.index_error | M | was not present in the dictionary | w=3.2
code.index_error | M | list index out of range | w=3.2
code.index_error | T | nosuchelementexception | w=2.0
# ---------- code.stack_overflow ----------
code.stack_overflow | T | stackoverflowerror | w=3.6
code.stack_overflow | T | stackoverflowexception | w=3.6
code.stack_overflow | T | recursionerror | w=3.6
code.stack_overflow | M | maximum recursion depth exceeded | w=3.6
code.stack_overflow | M | maximum call stack size exceeded | w=3.6
code.stack_overflow | M | goroutine stack exceeds | w=3.6
code.stack_overflow | M | infinite recursion | w=3.4
code.stack_overflow | M | stack overflow | w=3.0
code.stack_overflow | M | 0xc00000fd | w=3.2
# ---------- code.unhandled ----------
code.unhandled | T | illegalstateexception | w=2.4
code.unhandled | T | invalidoperationexception | w=2.4
code.unhandled | T | unsupportedoperationexception | w=2.4
code.unhandled | T | notimplementederror | w=2.4
code.unhandled | T | notimplementedexception | w=2.4
code.unhandled | T | runtimeerror | w=1.8
code.unhandled | T | assertionerror | w=2.4
code.unhandled | M | assertion failed | w=2.0
code.unhandled | M | panic:  && re:^\s*panic: | C w=2.2
code.unhandled | M | fatal error:  && re:^\s*fatal error: | C w=2.4
code.unhandled | M | unhandled exception | w=1.5
code.unhandled | M | uncaught exception | w=1.5
code.unhandled | M | unhandledpromiserejection | w=1.5
code.unhandled | M | unhandled 'error' event | C w=1.5
code.unhandled | M | terminate called after throwing | C w=1.6
code.unhandled | H | exception in thread "main" | C w=1.3
code.unhandled | M | ** (exit) no process | w=2.4
# ---------- dependency.missing ----------
dependency.missing | T | modulenotfounderror | C w=3.4
dependency.missing | T | importerror | C w=3.2
dependency.missing | T | classnotfoundexception | w=3.2
dependency.missing | T | noclassdeffounderror | w=3.2
dependency.missing | T | nosuchmethoderror | w=3.2
dependency.missing | T | nosuchfielderror | w=3.2
dependency.missing | T | unsatisfiedlinkerror | w=3.2
dependency.missing | T | abstractmethoderror | w=3.0
dependency.missing | T | incompatibleclasschangeerror | w=3.0
dependency.missing | T | typeloadexception | w=3.0
dependency.missing | T | missingmethodexception | w=3.0
dependency.missing | T | dllnotfoundexception | w=3.2
dependency.missing | M | cannot find module | C w=3.2
dependency.missing | M | could not load file or assembly | w=3.4
dependency.missing | M | undefined symbol | w=3.0
dependency.missing | M | cannot open shared object file | C w=3.0
dependency.missing | M | no module named | C w=3.4
dependency.missing | M | err_module_not_found | C w=3.2
dependency.missing | M | module_not_found | C w=3.0
dependency.missing | M | cannot find package | w=3.0
dependency.missing | M | no required module provides package | w=3.2
dependency.missing | M | glibc_ && re:version `glibc_[\d.]+' not found | C w=3.2
dependency.missing | M | correct the classpath of your application | w=3.2
dependency.missing | M | an attempt was made to call a method that does not exist | w=3.2
dependency.missing | T | linkageerror | w=2.8
dependency.missing | M | error while loading shared libraries | C w=3.2
dependency.missing | M | cannot load such file | w=3.2
dependency.missing | T | gem::missingspecerror | w=3.2
dependency.missing | M | could not find gem | w=3.2
dependency.missing | M | not found && re:\bclass ["']?[\w\\]{1,200}["']? not found | w=3.0
dependency.missing | M | is not available && re:module [\w.]{1,200} is not available | w=3.0
dependency.missing | M | can't find crate for | w=3.2
dependency.missing | M | exec format error | w=2.6
# ---------- config.invalid ----------
config.invalid | M | could not resolve placeholder | w=3.4
config.invalid | M | failed to bind properties under | w=3.4
config.invalid | T | improperlyconfigured | w=3.4
config.invalid | T | optionsvalidationexception | w=3.4
config.invalid | T | configurationexception | w=3.0
config.invalid | T | configexception | w=2.8
config.invalid | T | configurationerrorsexception | w=3.0
config.invalid | M | environment variable && re:environment variable .{0,80}(?:not set|is required|is missing|must be set|not defined) | w=3.2
config.invalid | M | not set && re:\b[A-Z][A-Z0-9_]{2,}\b (?:is not set|must be set|is required|not set|is missing) | cs w=3.0
config.invalid | M | must be set && re:\b[A-Z][A-Z0-9_]{2,}\b (?:is not set|must be set|is required|not set|is missing) | cs w=3.0
config.invalid | M | is required && re:\b[A-Z][A-Z0-9_]{2,}\b (?:is not set|must be set|is required|not set|is missing) | cs w=3.0
config.invalid | M | is missing && re:\b[A-Z][A-Z0-9_]{2,}\b (?:is not set|must be set|is required|not set|is missing) | cs w=3.0
config.invalid | M | keyerror: ' && re:KeyError: '[A-Z][A-Z0-9_]{2,}' | cs w=3.4
config.invalid | M | missing required && re:missing required (?:configuration|config|setting|property|option|environment|parameter) | w=3.2
config.invalid | M | configuration error | w=2.6
config.invalid | M | invalid configuration | w=3.0
config.invalid | M | config && re:(?:unable|failed) to (?:load|read|parse) (?:the )?config | C w=3.2
config.invalid | M | error loading config | C w=3.0
config.invalid | M | config && re:config(?:uration)? file .{0,120}(?:not found|does not exist|missing) | C w=3.2
config.invalid | M | unknown conf && re:unknown (?:configuration|config) (?:key|property|option) | w=3.0
config.invalid | M | invalid value for && re:invalid value for (?:setting|option|property|config|key|parameter|flag)? | w=2.4
config.invalid | M | no connection string named | w=3.2
config.invalid | M | connectionstring property has not been initialized | w=3.2
config.invalid | M | yaml: unmarshal errors | w=3.0
config.invalid | M | yaml: line && re:yaml: line \d+: | w=2.8
config.invalid | M | parsing && re:(?:error|failed) (?:parsing|to parse) (?:config|configuration|settings) | C w=3.0
config.invalid | M | to parse && re:(?:error|failed) (?:parsing|to parse) (?:config|configuration|settings) | C w=3.0
config.invalid | M | flag provided but not defined | w=3.0
config.invalid | M | unknown flag: | w=2.8
config.invalid | M | unknown shorthand flag: | w=2.8
config.invalid | M | invalidconfigurationpropertyvalueexception | w=3.4
config.invalid | M | application failed to start | w=1.6
config.invalid | H | application run failed | w=1.2
config.invalid | H | config && re:\bconfig(?:uration)?\b.{0,60}\b(?:invalid|missing|not found|error)\b | w=1.6
# pydantic settings classes: "3 validation errors for Settings" is configuration, not input validation
config.invalid | M | validation error && re:validation errors? for \w*(?:settings|config)\w*\b | w=3.6
# Python reading the environment: os.environ['X'] raising KeyError, python-decouple, environs
config.invalid | M | os.environ[ | w=3.2
config.invalid | M | declare it as envvar | w=3.4
config.invalid | M | key not found: " && re:key not found: "[A-Z][A-Z0-9_]{2,}" | cs w=3.4
config.invalid | M | required key && re:required key \S{1,100} missing value | w=3.2
config.invalid | M | unable to read any of the environment file | w=3.4
config.invalid | M | environment file && re:environment file.{0,80}(?:not found|does not exist|missing|could not be (?:found|read)) | w=3.2
config.invalid | M | .env file && re:\.env file.{0,80}(?:not found|does not exist|missing|could not be (?:found|read)) | w=3.2
config.invalid | M | binding to target && failed | w=3.0
config.invalid | M | validation && re:config(?:uration)? validation (?:error|failed) | w=3.0
# a command-line flag the program rejects ("--fsRedzone must be between 1 and 99")
config.invalid | M | must be && re:(?:^|\s)--[\w-]{2,60}(?:=\S{0,40})? must be | w=3.0
config.invalid | M | is invalid && re:(?:^|\s)--[\w-]{2,60}(?:=\S{0,40})? is invalid | w=3.0
# a missing file that is configuration: its name has a config extension, or is a JSON/XML file named config/settings
config.invalid | M | no such file && re:(?:[\w.-]*(?:config|settings)[\w.-]*\.(?:json|xml|js)|\.(?:ya?ml|toml|ini|conf|cfg|properties)|(?:^|[/\s'"])\.env)\b | w=3.0
config.invalid | M | enoent && re:(?:[\w.-]*(?:config|settings)[\w.-]*\.(?:json|xml|js)|\.(?:ya?ml|toml|ini|conf|cfg|properties)|(?:^|[/\s'"])\.env)\b | w=3.0
config.invalid | M | filenotfound && re:(?:[\w.-]*(?:config|settings)[\w.-]*\.(?:json|xml|js)|\.(?:ya?ml|toml|ini|conf|cfg|properties)|(?:^|[/\s'"])\.env)\b | w=3.0
config.invalid | M | cannot find module && re:cannot find module '[^']{0,200}\.json' | w=3.5
# an unparsable YAML/TOML file is almost always configuration (PyYAML, SnakeYAML, toml)
config.invalid | T | yaml.scanner.scannererror | w=3.2
config.invalid | T | yaml.parser.parsererror | w=3.2
config.invalid | T | org.yaml.snakeyaml && exception | w=3.0
config.invalid | M | mapping values are not allowed here | w=3.0
config.invalid | T | tomldecodeerror | w=3.2
config.invalid | M | environment variable set && re:\bNo [A-Z][A-Z0-9_]{2,}(?: or [A-Z][A-Z0-9_]{2,})* environment variable set | cs w=3.2
# ---------- filesystem.not_found ----------
filesystem.not_found | T | filenotfounderror | w=3.2
filesystem.not_found | T | nosuchfileexception | w=3.2
filesystem.not_found | T | filenotfoundexception | w=2.8
filesystem.not_found | T | directorynotfoundexception | w=3.2
filesystem.not_found | M | enoent | w=2.8
filesystem.not_found | M | no such file or directory | w=2.6
filesystem.not_found | M | could not find file | w=2.8
filesystem.not_found | M | could not find a part of the path | w=3.0
filesystem.not_found | M | the system cannot find the file specified | w=2.8
filesystem.not_found | M | the system cannot find the path specified | w=2.8
filesystem.not_found | M | kind: notfound | w=2.8
filesystem.not_found | M | errno 2 && re:\[errno 2\] | w=2.6
# ---------- filesystem.permission ----------
filesystem.permission | M | permission denied | w=2.2
filesystem.permission | M | eacces | w=2.8
filesystem.permission | M | eperm | w=2.4
filesystem.permission | M | operation not permitted | w=2.4
filesystem.permission | M | read-only file system | w=2.8
filesystem.permission | T | java.nio.file.accessdeniedexception | w=3.2
filesystem.permission | T | unauthorizedaccessexception | w=3.0
filesystem.permission | M | access to the path && re:access to the path .{1,300} is denied | w=3.2
filesystem.permission | T | permissionerror | w=3.2
filesystem.permission | M | errno 13 && re:errno 13\b | w=2.8
filesystem.permission | M | filenotfoundexception && permission denied | w=3.4
# ---------- messaging.broker ----------
messaging.broker | M | broker may not be available | C w=3.4
messaging.broker | M | leader_not_available | w=3.2
messaging.broker | M | leader not available | w=3.2
messaging.broker | M | notleaderforpartition | w=3.2
messaging.broker | M | not_leader_or_follower | w=3.2
messaging.broker | M | rebalance in progress | w=3.2
messaging.broker | M | rebalance_in_progress | w=3.2
messaging.broker | T | commitfailedexception | w=3.4
messaging.broker | M | offset out of range | w=3.2
messaging.broker | M | offsetoutofrange | w=3.2
messaging.broker | M | unknown_topic_or_partition | w=3.0
messaging.broker | M | unknown topic or partition | w=3.0
messaging.broker | M | all brokers are down | C w=3.4
messaging.broker | M | all_brokers_down | C w=3.4
messaging.broker | M | broker transport failure | w=3.2
messaging.broker | M | coordinator not available | w=3.2
messaging.broker | M | coordinator_not_available | w=3.2
messaging.broker | M | notenoughreplicas | w=3.2
messaging.broker | M | failed to update metadata after && re:failed to update metadata after \d+ | w=3.2
messaging.broker | M | in metadata after && re:not present in metadata after \d+ | w=3.2
messaging.broker | M | max.poll.interval.ms | w=2.6
messaging.broker | T | brokernotavailableexception | C w=3.2
messaging.broker | T | amqpconnectexception | C w=3.2
messaging.broker | T | alreadyclosedexception | w=2.8
messaging.broker | T | shutdownsignalexception | w=2.8
messaging.broker | T | brokerunreachableexception | C w=3.4
messaging.broker | M | nats: no servers available | C w=3.4
messaging.broker | M | nats: connection closed | w=3.0
messaging.broker | T | kafkaexception | w=2.0
messaging.broker | H | kafka | w=1.0
messaging.broker | M | broker forced connection closure | w=3.2
messaging.broker | M | connection_forced | w=3.0
messaging.broker | T | amqpconnectionerror | w=3.0
messaging.broker | T | pika.exceptions | w=2.8
messaging.broker | M | because it is rebalancing | w=3.0
messaging.broker | M | marking the coordinator && dead | w=3.0
messaging.broker | M | brokers are down && re:\d+/\d+ brokers are down | C w=3.2
# ---------- cache.unavailable ----------
cache.unavailable | T | redisconnectionexception | C w=3.4
cache.unavailable | T | redisconnectionfailureexception | C w=3.4
cache.unavailable | T | redistimeoutexception | H w=3.4
cache.unavailable | T | jedisconnectionexception | C w=3.4
cache.unavailable | T | redis.exceptions.connectionerror | C w=3.4
cache.unavailable | T | redis.exceptions.timeouterror | H w=3.4
cache.unavailable | M | could not connect to redis | C w=3.4
cache.unavailable | M | unable to connect to redis | C w=3.4
cache.unavailable | M | no connection is available to service this operation | C w=3.4
cache.unavailable | M | it was not possible to connect to the redis server | C w=3.4
cache.unavailable | M | loading redis is loading the dataset in memory | w=3.2
cache.unavailable | M | clusterdown | w=3.2
cache.unavailable | M | memcache && re:memcache.{0,60}(?:timed? ?out|refused|unavailable|error) | w=3.0
cache.unavailable | H | redis | w=1.0
# ---------- concurrency.thread_pool ----------
concurrency.thread_pool | T | rejectedexecutionexception | w=3.4
concurrency.thread_pool | M | could not be queued for execution | w=3.4
concurrency.thread_pool | M | maximum number of threads && re:maximum number of threads \(\d+\) created | C w=3.4
concurrency.thread_pool | M | all threads are busy | w=3.2
concurrency.thread_pool | M | thread pool starvation | w=3.4
concurrency.thread_pool | M | threadpool starvation | w=3.4
concurrency.thread_pool | M | thread starvation | w=3.2
concurrency.thread_pool | M | thread pool && re:thread pool .{0,40}(?:exhausted|is full|saturated) | w=3.2
concurrency.thread_pool | M | too many concurrent requests | w=3.0
concurrency.thread_pool | M | reached pm.max_children | w=3.4
concurrency.thread_pool | M | reached max_children | w=3.2
concurrency.thread_pool | M | esrejectedexecutionexception | w=3.4
concurrency.thread_pool | M | rejected execution | w=3.0
concurrency.thread_pool | M | no available workers | w=3.0
concurrency.thread_pool | H | hystrixruntimeexception | w=1.4
# web servers' own worker limits: Apache MPM, nginx, Tomcat connectors, uWSGI
concurrency.thread_pool | M | server reached maxrequestworkers setting | w=3.4
concurrency.thread_pool | M | server reached maxclients setting | w=3.4
concurrency.thread_pool | M | worker_connections are not enough | w=3.4
concurrency.thread_pool | M | are currently busy && re:all threads \(\d+\) are currently busy | w=3.4
concurrency.thread_pool | M | listen queue of socket && full | w=3.2
# ---------- data.validation ----------
data.validation | S | bad request && re:\b400\b.{0,20}bad request|bad request.{0,20}\b400\b | w=2.6
data.validation | S | status code: 400 | w=2.6
data.validation | M | validation error | w=2.6
data.validation | M | validation failed | w=2.6
data.validation | M | validation errors for | w=3.0
data.validation | T | methodargumentnotvalidexception | w=3.4
data.validation | T | javax.validation.constraintviolationexception | w=3.4
data.validation | T | jakarta.validation.constraintviolationexception | w=3.4
data.validation | T | httpmessagenotreadableexception | w=3.2
data.validation | T | validationexception | w=2.6
data.validation | T | validationerror | w=2.6
data.validation | M | one or more validation errors occurred | w=3.4
data.validation | M | is not valid under any of the given schemas | w=3.2
data.validation | M | does not match pattern | w=2.6
data.validation | M | schema validation | w=2.8
data.validation | M | field required | w=2.4
data.validation | M | unprocessable entity | w=2.8
data.validation | M | 422 && re:(?:status|code|http|error|returned)\D{0,12}\b422\b | w=2.2
data.validation | M | must not be && re:must not be (?:null|blank|empty) | w=2.4
data.validation | M | the json value could not be converted | w=3.0
data.validation | M | invalid request payload | w=3.0
data.validation | H | bad request | w=1.6
# Elasticsearch rejecting documents against the index mapping
data.validation | M | mapper_parsing_exception | w=3.0
data.validation | M | document_parsing_exception | w=3.0
data.validation | M | strict_dynamic_mapping_exception | w=3.0
data.validation | M | could not index event to elasticsearch | w=2.6
data.validation | S | 400 && re:(?:status|code)\W{0,6}\b400\b | w=2.2
data.validation | T | activerecord::recordinvalid | w=3.2
""";
}
