#!/usr/bin/env bash
# One server JVM in the budget its pod gets on Kubernetes (k8s/base, k8s/overlays/peak), under saturating load for a
# while, to size what the manifests set by measurement (docs/kubernetes.md, "Memory and probes"):
#   - its memory beyond the heap (Native Memory Tracking), so the heap ceiling leaves room for it under the limit;
#   - the latency of a kubelet-like readiness probe (a new connection each second) while the CPU quota throttles.
# The JVM runs with the flags the image's run-java.sh gives it, its heap grown to its ceiling from the start
# (-Xms = the maximum, pre-touched), so the footprint is the one a long-running pod reaches at worst.
#
#   k8s/bench/pod-budget.sh a|b|dns [RATIO]      as root; RATIO: the heap's share of the limit, % (default 80)
#
# Settings (environment): SECONDS_UNDER_LOAD=60 CONNECTIONS=16 MEMORY_MIB=512 COST=1000; CPUS: 0.5 for a and b,
# 1 for dns, as the manifests. Everything runs in a private network namespace on [::1]; the load is wrk (HTTP) or
# dnsperf (DNS) on the other CPU.
set -euo pipefail

server=${1:-}
ratio=${2:-80}
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${SECONDS_UNDER_LOAD:-60}
connections=${CONNECTIONS:-16}
memory_mib=${MEMORY_MIB:-512}
cost=${COST:-1000}
case "$server" in
  a | b) jar=$root/service-${server}/target/quarkus-app/quarkus-run.jar; cpus=${CPUS:-0.5}; probe_port=8080 ;;
  dns) jar=$root/peak-dns/target/quarkus-app/quarkus-run.jar; cpus=${CPUS:-1}; probe_port=8053 ;;
  *) echo "usage: k8s/bench/pod-budget.sh a|b|dns [heap % of the memory limit]" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "pod-budget.sh makes cgroups and a network namespace: run it as root" >&2; exit 1; }
for tool in unshare curl jcmd $([ "$server" = dns ] && echo dnsperf || echo wrk); do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install ${tool/jcmd/openjdk-17-jdk-headless}" >&2; exit 1; }
done
[ -f "$jar" ] || { echo "$jar is missing: make build" >&2; exit 1; }

if [ "${POD_BUDGET_INSIDE:-}" != 1 ]; then
  # Into a network namespace of our own: the servers and the load stay on its loopback
  exec env POD_BUDGET_INSIDE=1 unshare --net "$0" "$@"
fi
ip link set lo up
work=$(mktemp -d)
pids=()
cgroups=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for dir in "${cgroups[@]}"; do rmdir "$dir" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# The pod's limits as a cgroup: v2 when it is mounted, else v1's cpu and memory controllers
name=peak-pod-budget-$$
quota=$(awk -v c="$cpus" 'BEGIN { printf "%d", c * 100000 }')
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  dir=/sys/fs/cgroup/$name; mkdir "$dir"; cgroups+=("$dir")
  echo "$quota 100000" > "$dir/cpu.max"; echo $((memory_mib << 20)) > "$dir/memory.max"
  procs=("$dir/cgroup.procs")
  peak_bytes() { cat "$dir/memory.peak" 2>/dev/null || echo 0; }
  oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$dir/memory.events"; }
else
  cpu=/sys/fs/cgroup/cpu/$name; mem=/sys/fs/cgroup/memory/$name
  mkdir "$cpu" "$mem"; cgroups+=("$cpu" "$mem")
  echo 100000 > "$cpu/cpu.cfs_period_us"; echo "$quota" > "$cpu/cpu.cfs_quota_us"
  echo $((memory_mib << 20)) > "$mem/memory.limit_in_bytes"
  procs=("$cpu/cgroup.procs" "$mem/cgroup.procs")
  peak_bytes() { cat "$mem/memory.max_usage_in_bytes"; }
  oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$mem/memory.oom_control"; }
fi

# The image's JVM: run-java.sh's heap ratio and GC settings (ubi9 openjdk-17-runtime); CPUs and memory as the
# container's limits make the JVM see them
heap_mib=$((memory_mib * ratio / 100))
jvm=(java -XX:ActiveProcessorCount="$(awk -v c="$cpus" 'BEGIN { printf "%d", (c == int(c)) ? c : int(c) + 1 }')"
  -XX:MaxRAM="${memory_mib}m" -XX:MaxRAMPercentage="$ratio" -Xms"${heap_mib}m" -XX:+AlwaysPreTouch
  -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90
  -XX:+ExitOnOutOfMemoryError -XX:NativeMemoryTracking=summary)

start_in_pod() { # the JVM is in the cgroup from its first page on (v1 leaves earlier pages charged elsewhere)
  PROCS="${procs[*]}" bash -c 'for f in $PROCS; do echo $$ > "$f"; done; exec "$@"' java "$@" > "$work/server.log" 2>&1 &
  pids+=("$!")
}

keys=$work/keys
java -cp "$root/loadtests/driver/target/lib/*" dev.peak.common.keys.KeySetGenerator --dir "$keys" > /dev/null
case "$server" in
  a) start_in_pod "${jvm[@]}" -Dquarkus.http.host=::1 -Dsmallrye.jwt.sign.key.location="$keys/signing-jwks.json" -jar "$jar"
     target="http://[::1]:8080/work?cost=$cost" header="" ;;
  b) # a token from an A outside the budget, then B alone in it
     java -Dquarkus.http.host=::1 -Dquarkus.http.port=8090 -Dsmallrye.jwt.sign.key.location="$keys/signing-jwks.json" \
       -jar "$root/service-a/target/quarkus-app/quarkus-run.jar" > "$work/a.log" 2>&1 &
     a_pid=$!; pids+=("$a_pid")
     until token=$(curl -sf -X POST "http://[::1]:8090/token" 2>/dev/null); do sleep 0.5; done
     kill "$a_pid"
     token=$(sed -n 's/.*"\(access_\)\{0,1\}token" *: *"\([^"]*\)".*/\2/p' <<< "$token")
     start_in_pod "${jvm[@]}" -Dquarkus.http.host=::1 -Dmp.jwt.verify.publickey.location="$keys/jwks.json" -jar "$jar"
     target="http://[::1]:8080/work?cost=$cost" header="Authorization: Bearer $token" ;;
  dns) start_in_pod "${jvm[@]}" -Dpeak.dns.host=::1 -Dpeak.dns.port=5353 \
       -Dpeak.dns.static.file="$root/peak-dns/sample/services.yaml" -jar "$jar"
     printf 'a.peak.test AAAA\nb.peak.test AAAA\n' > "$work/queries" ;;
esac
server_pid=${pids[-1]}
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://[::1]:$probe_port/q/health/ready" && break; sleep 0.5; done

echo "server $server: ${cpus} CPU, ${memory_mib} MiB, heap ${heap_mib} MiB (${ratio} %), ${seconds} s of saturating load" >&2
if [ "$server" = dns ]; then
  dnsperf -s ::1 -p 5353 -d "$work/queries" -l "$seconds" -c 4 -q 200 > "$work/load.txt" 2>&1 &
else
  wrk -t 1 -c "$connections" -d "${seconds}s" ${header:+-H "$header"} "$target" > "$work/load.txt" 2>&1 &
fi
load_pid=$!
# The kubelet's probe: a new connection each second, an answer within the timeout or a failure
: > "$work/probes"
while kill -0 "$load_pid" 2>/dev/null; do
  if probe=$(curl -s -o /dev/null -w '%{time_total} %{http_code}' --max-time 10 "http://[::1]:$probe_port/q/health/ready"); then
    echo "$probe" >> "$work/probes"
  else
    echo "10 failed" >> "$work/probes" # refused or timed out: a failure, whatever curl timed
  fi
  sleep 1
done
wait "$load_pid" || true
nmt=$(jcmd "$server_pid" VM.native_memory summary scale=KB 2>/dev/null || true)
alive=yes; kill -0 "$server_pid" 2>/dev/null || alive=no

total_kb=$(sed -n 's/^Total: reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p' <<< "$nmt")
heap_kb=$(sed -n 's/^-  *Java Heap (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1/p' <<< "$nmt")
echo
echo "== load"; grep -E 'Requests/sec|Latency|Queries per second|Average Latency|Non-2xx|Socket errors' "$work/load.txt" || true
echo "== memory"
echo "alive after the run: $alive; OOM kills in the cgroup: $(oom_kills)"
echo "cgroup peak: $(( $(peak_bytes) >> 20 )) MiB of ${memory_mib} MiB"
if [ -n "$total_kb" ]; then
  echo "NMT committed: total $((total_kb >> 10)) MiB, heap $((heap_kb >> 10)) MiB, beyond the heap $(((total_kb - heap_kb) >> 10)) MiB"
  grep -E '^-  *(Class|Thread|Code|GC|Internal|Other|Metaspace|Arena Chunk|Symbol)' <<< "$nmt" | sed 's/^-  */  /'
fi
echo "== readiness probe (every 1 s under load)"
# the kubelet marks the pod unready after failureThreshold (2) failures in a row: the longest run of slow probes
# (a probe over its 1-s timeout, or an answer other than 200)
run=$(awk '{ if ($1 > 1 || $2 != 200) { n++; if (n > most) most = n } else n = 0 } END { print most + 0 }' "$work/probes")
sort -n "$work/probes" | awk -v run="$run" '{ t[NR] = $1; if ($1 > 1 || $2 != 200) failed++ } END {
  printf "probes %d, median %.3f s, p90 %.3f s, max %.3f s, failed (over 1 s or not 200): %d, most in a row: %d\n",
    NR, t[int(NR * 0.5) + 1], t[int(NR * 0.9) + 1], t[NR], failed, run }'
