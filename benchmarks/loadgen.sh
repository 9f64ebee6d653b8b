#!/usr/bin/env bash
# End-to-end load against a logd started here: HTTP NDJSON ingest, syslog UDP/TCP and queries at once.
#
#   benchmarks/loadgen.sh [LoadGen options]      e.g. --http-connections 8 --batch 1000 --tcp-connections 2 \
#                                                     --udp-rate 5000 --qps 20 --seconds 60 --dataset mixed --seed 1
#                                                     [--senders low|normal] [--http-rate EVENTS_PER_S]
#
# logd runs from logd-cli/target/logd.jar and LoadGen from benchmarks/target/benchmarks.jar (build both:
# mvn -B -q -pl benchmarks,logd-cli -am package -DskipTests) with defaults (durable acks, indexing and
# rollups on), a fresh data directory under /tmp, HTTP and syslog on free loopback ports. LoadGen gets
# the server's pid (for VmRSS from /proc) and data directory (for disk per event). LOGD_HEAP sets the
# server's -Xmx (default 4g), LOGD_JAVA_OPTS adds JVM options to it as for ./logd; KEEP=1 keeps the data directory and the server log. Both JVMs map Java
# thread priorities to nice values as ./logd does, so logd's background work and LoadGen's senders
# (see --senders) run at nice 10 and searches get a core first.
set -euo pipefail
cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
LOGD_JRE_OK=1 source packaging/find-jdk.sh || exit 1
for jar in logd-cli/target/logd.jar benchmarks/target/benchmarks.jar; do
  [[ -f $jar ]] || { echo "$jar missing: mvn -B -q -pl benchmarks,logd-cli -am package -DskipTests" >&2; exit 1; }
done
java_opts=()
if [[ -n ${LOGD_JAVA_OPTS:-} ]]; then
  read -r -a java_opts <<<"$LOGD_JAVA_OPTS"
fi
data=$(mktemp -d /tmp/logd-loadgen.XXXXXX)
log=$data.out
key=bench-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
LOGD_ADMIN_KEY=$key LOGD_STORAGE_MIN_FREE_DISK=0 \
  java "${LOGD_SERVER_OPTS[@]}" -Xmx"${LOGD_HEAP:-4g}" ${java_opts[@]+"${java_opts[@]}"} --enable-native-access=ALL-UNNAMED -jar logd-cli/target/logd.jar serve --data "$data" \
  --http-port 0 --syslog-port 0 --bind 127.0.0.1 >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $data and $log"; else rm -rf "$data" "$log"; fi
}
trap cleanup EXIT
for _ in $(seq 600); do grep -q ' ready: ' "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
ready=$(grep ' ready: ' "$log") || { cat "$log" >&2; exit 1; }
http=$(sed -E 's/.* http=([^ ]+).*/\1/' <<<"$ready")
udp=$(sed -E 's/.* syslog-udp=([^ ]+).*/\1/' <<<"$ready")
tcp=$(sed -E 's/.* syslog-tcp=([^ ]+).*/\1/' <<<"$ready")
echo "logd pid $pid http=$http syslog-udp=$udp syslog-tcp=$tcp data=$data; $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%FT%TZ)"
java "${LOGD_PRIORITY_OPTS[@]}" -Xmx4g -cp benchmarks/target/benchmarks.jar io.logd.bench.server.LoadGen \
  --url "http://$http" --key "$key" --pid "$pid" --data "$data" --syslog-udp "$udp" --syslog-tcp "$tcp" "$@"
