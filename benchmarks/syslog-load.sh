#!/usr/bin/env bash
# Syslog intake with syslog-ng's loggen (Debian package syslog-ng-core) against a logd started here.
#
#   benchmarks/syslog-load.sh udp  RATE SECONDS        # paced UDP; prints sent, stored and loss
#   benchmarks/syslog-load.sh tcp  COUNT CONNECTIONS   # as fast as possible; prints msg/s until durable
#
# logd runs from logd-cli/target/logd.jar (build it first: ./logd --version) with durable acks,
# indexing on, a fresh data directory under /tmp, and its HTTP and syslog ports picked free.
# Counts come from logd's own /metrics: logd_syslog_received_total, logd_syslog_dropped_total and
# logd_ingest_events_total (events durably committed).
set -euo pipefail
cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
mode=${1:?udp or tcp}; a=${2:?}; b=${3:?}
command -v loggen >/dev/null || { echo "loggen not found: apt-get install syslog-ng-core" >&2; exit 1; }
LOGD_JRE_OK=1 source packaging/find-jdk.sh || exit 1
data=$(mktemp -d /tmp/logd-syslog-load.XXXXXX)
log=$data.out
LOGD_ADMIN_KEY=bench-key-0123456789 LOGD_STORAGE_MIN_FREE_DISK=0 \
  java --enable-native-access=ALL-UNNAMED -jar logd-cli/target/logd.jar serve --data "$data" \
  --http-port 0 --syslog-port 0 --bind 127.0.0.1 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 600); do grep -q ' ready: ' "$log" && break; sleep 0.1; done
ready=$(grep ' ready: ' "$log") || { cat "$log" >&2; exit 1; }
http=$(sed -E 's/.* http=([^ ]+).*/\1/' <<<"$ready")
udp=$(sed -E 's/.* syslog-udp=[^ ]+:([0-9]+).*/\1/' <<<"$ready")
tcp=$(sed -E 's/.* syslog-tcp=[^ ]+:([0-9]+).*/\1/' <<<"$ready")
metric() { curl -s "http://$http/metrics" | awk -v m="$1" '$1==m {print $2}'; }
committed() { metric logd_ingest_events_total; }

echo "logd pid $pid http=$http udp=$udp tcp=$tcp; $(nproc) cores; $(date -u +%F)"
case $mode in
  udp)
    out=$(loggen --inet --dgram --rate "$a" --interval "$b" --size 300 -Q 127.0.0.1 "$udp" 2>&1)
    echo "$out" | tail -2
    sent=$(grep -o 'count=[0-9]*' <<<"$out" | tail -1 | cut -d= -f2)
    sleep 3
    received=$(metric 'logd_syslog_received_total{transport="udp"}')
    dropped=$(curl -s "http://$http/metrics" | awk '/^logd_syslog_dropped_total\{transport="udp"/ {s+=$2} END {print s+0}')
    stored=$(committed)
    echo "udp rate=$a/s for ${b}s: sent=$sent received=$received dropped_by_logd=$dropped stored=$stored"
    awk -v s="$sent" -v r="$stored" 'BEGIN {printf "loss %.3f%% (%d of %d sent)\n", (s-r)*100/s, s-r, s}'
    ;;
  tcp)
    start=$(date +%s.%N)
    out=$(loggen --inet --stream --number $(( a / b )) --interval 3600 --active-connections "$b" \
      --rate 10000000 --size 300 -Q 127.0.0.1 "$tcp" 2>&1)
    sent_done=$(date +%s.%N)
    echo "$out" | tail -2
    want=$(grep -o 'count=[0-9]*' <<<"$out" | tail -1 | cut -d= -f2)
    while (( $(committed) < want )); do sleep 0.05; done
    end=$(date +%s.%N)
    awk -v n="$want" -v s="$start" -v d="$sent_done" -v e="$end" \
      'BEGIN {printf "tcp %d messages durable in %.2f s (loggen done at %.2f s): %.0f msg/s\n", n, e-s, d-s, n/(e-s)}'
    ;;
  *) echo "mode must be udp or tcp" >&2; exit 2 ;;
esac
