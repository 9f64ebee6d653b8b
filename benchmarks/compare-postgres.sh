#!/usr/bin/env bash
# logd against the seeds' PostgreSQL stack, side by side, on this machine.
#
#   benchmarks/compare-postgres.sh [--events 1000000] [--seed 1] [--connections 4] [--reps 20] [ComparePostgres options]
#
# Installs PostgreSQL from Debian's packages when no /usr/lib/postgresql/*/bin/initdb exists (as root),
# creates a throwaway cluster in a temp directory (initdb as the `postgres` user, or `nobody`, when run
# as root) and starts it on a free loopback port; starts logd from logd-cli/target/logd.jar with a fresh
# data directory and default settings (durable acks, indexing and rollups on) on free ports; then runs
# io.logd.bench.compare.ComparePostgres from benchmarks/target/benchmarks.jar (build both first:
# mvn -B -q -pl benchmarks,logd-cli -am package -DskipTests), which loads the same dataset into both,
# asks both the same questions, and prints a side-by-side table. Both servers, their data and the
# generated dataset files (in the same temp directory) are removed at the end; KEEP=1 keeps them.
#
# PostgreSQL settings (a tuned single-node setup, not the defaults): shared_buffers=4GB,
# effective_cache_size=12GB, work_mem=64MB, maintenance_work_mem=1GB, max_wal_size=8GB,
# checkpoint_timeout=15min, jit=off; fsync and synchronous_commit stay on (durable, as logd's acks).
# logd runs with -Xmx${LOGD_HEAP:-4g} and, as ./logd does, its background work at nice 10.
# Default size: 100,000 events (a few minutes); the targets are --events 1000000 and --events 10000000.
set -euo pipefail
cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
LOGD_JRE_OK=1 source packaging/find-jdk.sh || exit 1
for jar in logd-cli/target/logd.jar benchmarks/target/benchmarks.jar; do
  [[ -f $jar ]] || { echo "$jar missing: mvn -B -q -pl benchmarks,logd-cli -am package -DskipTests" >&2; exit 1; }
done

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z $pgbin || ! -x $pgbin/initdb ]]; then
  [[ $(id -u) == 0 ]] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
  echo "installing PostgreSQL from Debian's packages..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run_as=()
pguser=$(id -un)
if [[ $(id -u) == 0 ]]; then
  pguser=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  run_as=(runuser -u "$pguser" --)
fi
tmp=$(mktemp -d /tmp/logd-vs-pg.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/pg" "$tmp/sock"
[[ $(id -u) == 0 ]] && chown "$pguser" "$tmp/pg" "$tmp/sock"
logd_pid=
cleanup() {
  [[ -n $logd_pid ]] && { kill "$logd_pid" 2>/dev/null || true; wait "$logd_pid" 2>/dev/null || true; }
  "${run_as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -m fast stop >/dev/null 2>&1 || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

pgport=$(free_port)
"${run_as[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U bench --auth=trust -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/server.log" -w -t 60 start -o "-p $pgport -k $tmp/sock \
  -c listen_addresses=127.0.0.1 -c shared_buffers=4GB -c effective_cache_size=12GB -c work_mem=64MB \
  -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min -c jit=off" >/dev/null \
  || { cat "$tmp/pg/server.log" >&2; exit 1; }

mkdir -p "$tmp/logd"
key=bench-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
LOGD_ADMIN_KEY=$key LOGD_STORAGE_MIN_FREE_DISK=0 \
  java "${LOGD_SERVER_OPTS[@]}" -Xmx"${LOGD_HEAP:-4g}" \
    --enable-native-access=ALL-UNNAMED -jar logd-cli/target/logd.jar serve \
  --data "$tmp/logd" --http-port 0 --syslog-port 0 --bind 127.0.0.1 >"$tmp/logd.out" 2>&1 &
logd_pid=$!
for _ in $(seq 600); do grep -q ' ready: ' "$tmp/logd.out" && break; kill -0 "$logd_pid" 2>/dev/null || break; sleep 0.1; done
ready=$(grep ' ready: ' "$tmp/logd.out") || { cat "$tmp/logd.out" >&2; exit 1; }
http=$(sed -E 's/.* http=([^ ]+).*/\1/' <<<"$ready")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(df -h "$tmp" | awk 'NR==2 {print $1", "$2" ("$4" free)"}'); $(date -u +%FT%TZ)"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport (data $tmp/pg); logd pid $logd_pid http=$http (data $tmp/logd)"
java -Xmx2g -cp benchmarks/target/benchmarks.jar io.logd.bench.compare.ComparePostgres \
  --events 100000 --work "$tmp/dataset" --jdbc "jdbc:postgresql://127.0.0.1:$pgport/postgres?user=bench" \
  --logd-url "http://$http" --logd-key "$key" --logd-data "$tmp/logd" --logd-pid "$logd_pid" "$@"
