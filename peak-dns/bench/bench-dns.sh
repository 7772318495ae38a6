#!/usr/bin/env bash
# peak-dns against Knot DNS under dnsperf (issue 3, item 9): the same one-AAAA answer from both, each
# server pinned to the same single core, dnsperf pinned to another, inside a private network
# namespace; runs alternate between the servers and repeat; prints each run's QPS, the medians and
# the ratio median(peak-dns) / median(knot), with the servers' CPU time per query beside them.
#
#   peak-dns/bench/bench-dns.sh           the benchmark (make bench-dns builds the jar, then runs this)
#   peak-dns/bench/bench-dns.sh sweep     both servers under several dnsperf -c/-q settings, with how
#                                         busy each core was: shows whether dnsperf or the server limits
#
# Settings (environment):
#   REPEATS (3), SECONDS_PER_RUN (10)  measured runs per server, alternating knot / peak-dns
#   WARMUP_SECONDS (20)                uncounted dnsperf load on peak-dns first (JIT)
#   CLIENTS (2), OUTSTANDING (100)     dnsperf -c / -q (the sweep mode shows why these)
#   EDNS (0)                           1: dnsperf sends EDNS0 queries (-e)
#   SERVER_CPU (0), DNSPERF_CPU (1)    knotd pins its UDP worker 0 to CPU 0 itself: keep SERVER_CPU=0
#   WORKERS (1)                        UDP workers of each server: knotd's udp-workers, peak-dns's
#                                      SO_REUSEPORT sockets (one event loop each). Above 1 the servers
#                                      get CPUs 0..WORKERS-1, dnsperf runs WORKERS threads on the same
#                                      CPUs (SERVER_CPU, DNSPERF_CPU are ignored) and CLIENTS defaults
#                                      to 16, so that the kernel's port hash spreads them over the
#                                      sockets; compare QPS per server CPU second then, not QPS
#   PEAK_PORT (5300), KNOT_PORT (5301), HEAP (256m), JAR (peak-dns/target/quarkus-app/quarkus-run.jar)
#   PEAK_OPTS ("")                     more JVM options for peak-dns, e.g. -Dpeak.dns.udp.sockets=2
#   OUT (peak-dns/target/bench-dns)    results go to OUT/<UTC time>/; OUT/latest points there
#   QUIET_PCT (10), QUIET_WAIT (120)   before each run, wait up to QUIET_WAIT s until the CPU used
#                                      outside the benchmark is at most QUIET_PCT % of the machine
#   NOISE_PCT (10), RETRIES (3)        a run during which other processes took more than NOISE_PCT %
#                                      of either core is repeated, up to RETRIES times
#   NICE (-10 as root, else 0)         niceness of everything the benchmark starts
#   PROFILE (0)                        1: one more, uncounted peak-dns run under JFR; prints CPU per
#                                      thread and the hottest methods. perf: one more, uncounted run of
#                                      each server under Linux perf (root); prints each server's CPU
#                                      per query by where it goes (kernel, JIT-compiled Java, the JVM
#                                      and JNI, Netty's native library, knotd, libc) and its hottest
#                                      symbols, in µs per query
#
# Builds nothing. Needs root, or unprivileged user namespaces. Every process it starts lives in the
# namespace, talks over ::1 only, and is killed by PID on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module=$(dirname "$here")
# shellcheck source=lab.sh
source "$here/lab.sh"

MODE=${1:-bench}
REPEATS=${REPEATS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
WORKERS=${WORKERS:-1}
if ((WORKERS > 1)); then CLIENTS=${CLIENTS:-16}; else CLIENTS=${CLIENTS:-2}; fi
OUTSTANDING=${OUTSTANDING:-100}
EDNS=${EDNS:-0}
SERVER_CPU=${SERVER_CPU:-0}
DNSPERF_CPU=${DNSPERF_CPU:-1}
PEAK_PORT=${PEAK_PORT:-5300}
KNOT_PORT=${KNOT_PORT:-5301}
HEAP=${HEAP:-256m}
JAR=${JAR:-$module/target/quarkus-app/quarkus-run.jar}
PEAK_OPTS=${PEAK_OPTS:-}
OUT=${OUT:-$module/target/bench-dns}
QUIET_PCT=${QUIET_PCT:-10}
QUIET_WAIT=${QUIET_WAIT:-120}
NOISE_PCT=${NOISE_PCT:-10}
RETRIES=${RETRIES:-3}
PROFILE=${PROFILE:-0}
# sweep mode: "clients outstanding" pairs, SWEEP_SECONDS each
SWEEP=${SWEEP:-"1 10|1 50|2 100|4 100|4 200|8 400|16 800"}
SWEEP_SECONDS=${SWEEP_SECONDS:-5}
# The answer both servers give (QNAME AAAA: ADDRESS, same TTL) and the zone around it: lab.sh.

die() { echo "bench-dns: $*" >&2; exit 1; }
say() { echo "bench-dns: $*"; }

case $MODE in
    bench|sweep) ;;
    -h|--help|help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown mode '$MODE' (bench or sweep; --help)" ;;
esac

# ---------------------------------------------------------------------------------------------------
# Outside: check the tools, then run this script again inside a private network namespace.
if ! lab_in_namespace; then
    tools=(dnsperf:dnsperf "${LAB_TOOLS[@]}")
    case $PROFILE in
        0) ;;
        1) tools+=(jcmd:openjdk-17-jdk-headless jfr:openjdk-17-jdk-headless) ;;
        perf)
            tools+=(perf:linux-perf)
            [[ $EUID -eq 0 ]] || die "PROFILE=perf needs root (perf cannot follow a process from a user namespace)"
            ;;
        *) die "PROFILE must be 0, 1 or perf, not '$PROFILE'" ;;
    esac
    lab_require bench-dns "${tools[@]}"
    [[ -f $JAR ]] || die "no peak-dns jar at $JAR: build it first (make bench-dns does)"
    [[ $WORKERS =~ ^[1-9][0-9]*$ ]] || die "WORKERS must be a positive number, not '$WORKERS'"
    ((WORKERS > 1)) || [[ $SERVER_CPU != "$DNSPERF_CPU" ]] || die "SERVER_CPU and DNSPERF_CPU must differ"
    ((WORKERS <= $(nproc))) || die "WORKERS=$WORKERS but this machine has $(nproc) CPUs"
    for cpu in "$SERVER_CPU" "$DNSPERF_CPU"; do
        taskset -c "$cpu" true 2>/dev/null || die "CPU $cpu is not usable here ($(nproc) CPUs); set SERVER_CPU / DNSPERF_CPU"
    done
    [[ $SERVER_CPU == 0 ]] || say "warning: knotd pins its UDP worker to CPU 0 itself, whatever taskset says"
    if [[ $EUID -eq 0 ]]; then
        NICE=${NICE:--10}
    else
        NICE=${NICE:-0}
    fi
    lab_enter_namespace "$NICE" "$0" "$@"
fi

# ---------------------------------------------------------------------------------------------------
# Inside the namespace from here on.
lab_setup_namespace
# Where the servers and dnsperf run: a core each, or (WORKERS > 1) the same WORKERS cores, shared.
if ((WORKERS > 1)); then
    server_cpus=0-$((WORKERS - 1)) perf_cpus=0-$((WORKERS - 1)) shared=1
else
    server_cpus=$SERVER_CPU perf_cpus=$DNSPERF_CPU shared=0
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir=$OUT/$stamp
mkdir -p "$dir/runs" "$dir/knot/db"
ln -sfn "$stamp" "$OUT/latest"

trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the zone, twice -----------------------------------------------------------------------------------
lab_write_zone "$dir" "$WORKERS"
printf '%s AAAA\n' "${QNAME%.}" >"$dir/queries.txt"

# --- CPU accounting (all from /proc: cheap, nothing runs beside the servers) ---------------------------------
hz=$(getconf CLK_TCK)
# user+system ticks of a process (every thread): proc_cpu PID; of one thread: proc_cpu PID/task/TID
proc_cpu() {
    local s
    s=$(<"/proc/$1/stat")
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo $((${12} + ${13}))
}
# "user system" ticks, the same way
proc_user_sys() {
    local s
    s=$(<"/proc/$1/stat")
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo "${12} ${13}"
}
# user+system ticks of this shell's children that have ended: dnsperf, once a run is over
children_cpu() {
    local s
    s=$(<"/proc/$$/stat")
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo $((${14} + ${15}))
}
# ticks of a JVM's JIT compiler threads
jit_cpu() {
    local t sum=0 name
    for t in /proc/"$1"/task/*; do
        name=$(<"$t/comm") 2>/dev/null || continue
        [[ $name == C[12]\ CompilerThre* ]] || continue
        sum=$((sum + $(proc_cpu "$1/task/${t##*/}" 2>/dev/null || echo 0)))
    done
    echo "$sum"
}
# Ticks of one CPU ("" = all of them): processes (user nice system), interrupts (irq softirq: here
# mostly loopback delivery of the packets this CPU sends; the tick also charges it to the process it
# interrupted, so a server's system time includes delivering its answers), idle (idle iowait), steal
# CPUs: one number, a range "0-1", or "" for the machine's total line.
core_cpu() {
    local first=${1%-*} last=${1#*-}
    awk -v all="${1:-all}" -v lo="$first" -v hi="$last" '
        all == "all" && $1 == "cpu" || all != "all" && $1 ~ /^cpu[0-9]+$/ && substr($1, 4) + 0 >= lo && substr($1, 4) + 0 <= hi {
            p += $2 + $3 + $4; q += $7 + $8; i += $5 + $6; t += $9 }
        END { print p, q, i, t }' /proc/stat
}

# Waits (at most QUIET_WAIT s) until the machine is quiet: CPU used by processes other than the two
# servers, over 2 s, at most QUIET_PCT % of all CPUs. On a shared machine, other work otherwise lands
# in the middle of runs. Sets r_waited.
wait_quiet() {
    local a b pa pb busy
    r_waited=0
    while :; do
        a=$(core_cpu "") pa=$(($(proc_cpu "$knot_pid") + $(proc_cpu "$peak_pid")))
        sleep 2
        b=$(core_cpu "") pb=$(($(proc_cpu "$knot_pid") + $(proc_cpu "$peak_pid")))
        busy=$(awk -v a="$a" -v b="$b" -v p=$((pb - pa)) 'BEGIN { split(a, x); split(b, y)
            t = y[1] + y[2] + y[3] + y[4] - x[1] - x[2] - x[3] - x[4]
            printf "%.0f", (t > 0 ? 100 * (y[1] + y[2] - x[1] - x[2] - p) / t : 0) }')
        ((busy <= QUIET_PCT)) && return 0
        ((r_waited > 0)) || printf '    (other processes use %s %% of the machine: waiting up to %s s for quiet)\n' "$busy" "$QUIET_WAIT"
        r_waited=$((r_waited + 2))
        if ((r_waited >= QUIET_WAIT)); then
            printf '    (still %s %% after %s s: measuring anyway)\n' "$busy" "$QUIET_WAIT"
            return 0
        fi
    done
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }'; }
field() { awk -v k="$1" 'index($0, k) { sub(/.*: */, ""); split($0, a, " "); print a[1]; exit }' "$2"; }

edns_flag=()
[[ $EDNS == 1 ]] && edns_flag=(-e)

# dnsperf runs in the background and is waited for: a TERM or INT interrupts "wait" at once and the
# trap kills it by PID; with dnsperf in the foreground the trap would wait for the run to end.
dnsperf_run() { # port seconds clients outstanding file
    local rc=0
    timeout -k 5 $(($2 + 20)) taskset -c "$perf_cpus" \
        dnsperf -s ::1 -p "$1" -d "$dir/queries.txt" -l "$2" -c "$3" -q "$4" -T "$WORKERS" -t 2 "${edns_flag[@]}" >"$5" 2>&1 &
    pids+=($!)
    wait $! || rc=$?
    unset 'pids[${#pids[@]}-1]'
    ((rc == 0)) || { cat "$5" >&2; die "dnsperf failed against port $1 (exit $rc)"; }
}

check_pinned() { # name pid
    local t allowed bad=()
    for t in /proc/"$2"/task/*; do
        allowed=$(awk '/Cpus_allowed_list/ { print $2 }' "$t/status" 2>/dev/null || true)
        [[ -z $allowed || $allowed == "$server_cpus" ]] || bad+=("$(cat "$t/comm" 2>/dev/null):$allowed")
    done
    ((${#bad[@]} == 0)) || say "warning: $1 threads not on CPU $server_cpus: ${bad[*]}"
}

# --- servers -------------------------------------------------------------------------------------------------
# Both run through the whole benchmark on the same core. The idle one costs next to nothing (its CPU
# during the other's runs is measured: "idle_server_cpu_s"), and peak-dns keeps its JIT-compiled code
# between its runs as a long-running server does; restarting per run would measure warm-up instead.
# knotd pins its own UDP worker to CPU 0 (docs/architecture.md: Pitfalls); taskset pins the rest of its threads.
taskset -c "$server_cpus" knotd -c "$dir/knot/knot.conf" >"$dir/knot.log" 2>&1 &
knot_pid=$!
pids+=("$knot_pid")

lab_peak_properties "$dir" "$WORKERS"
# perf names JIT-compiled methods from the map the JVM writes when it stops (nothing before that)
perf_map=()
[[ $PROFILE != perf ]] || perf_map=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
taskset -c "$server_cpus" java -XX:ActiveProcessorCount="$WORKERS" -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch \
    -Xlog:gc:file="$dir/peak-dns-gc.log" \
    "${peak_properties[@]}" "${perf_map[@]}" $PEAK_OPTS \
    -jar "$JAR" >"$dir/peak-dns.log" 2>&1 &
peak_pid=$!
pids+=("$peak_pid")

lab_wait_answer knotd "$KNOT_PORT" "$knot_pid" "$dir/knot.log"
lab_wait_answer peak-dns "$PEAK_PORT" "$peak_pid" "$dir/peak-dns.log"
check_pinned knotd "$knot_pid"
check_pinned peak-dns "$peak_pid"

machine="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs, Linux $(uname -r)"
knot_version=$(knotd --version | head -1)
dnsperf_version=$(dnsperf -h 2>&1 | awk '/^Version/ { print $2 }')
java_version=$(java -version 2>&1 | head -1)
java_version=${java_version//\"/}
commit=$(git -C "$module" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown ]] && ! git -C "$module" diff --quiet HEAD -- src pom.xml 2>/dev/null; then commit="$commit+dirty"; fi
[[ $JAR -ef $module/target/quarkus-app/quarkus-run.jar ]] || commit="jar $JAR"
niceness=$(awk '{ print $19 }' /proc/$$/stat)
say "machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "$knot_version; dnsperf $dnsperf_version; $java_version; peak-dns $commit${PEAK_OPTS:+ with $PEAK_OPTS}"
say "servers on CPU $server_cpus with $WORKERS UDP worker(s), dnsperf on CPU $perf_cpus, niceness $niceness;" \
    "dnsperf -c $CLIENTS -q $OUTSTANDING -T $WORKERS$([[ $EDNS == 1 ]] && echo ' -e (EDNS0)' || true)"
# The same answer from both, apart from the ID:
for s in "knot $KNOT_PORT" "peak-dns $PEAK_PORT"; do
    set -- $s
    printf '  %-9s %s\n' "$1" "$(dig @::1 -p "$2" "$QNAME" AAAA +norec +noall +answer +comments \
        | grep -E '^;; flags|IN[[:space:]]+AAAA' | tr -s ' \t' ' ' | sed 's/^;; //' | paste -sd'|' | sed 's/|/ | /')"
done

# --- one measured run --------------------------------------------------------------------------------------
# measure SERVER PORT SECONDS CLIENTS OUTSTANDING FILE sets r_qps r_sent r_completed r_lost r_size
# r_rcodes; r_srv_s (server CPU s), r_srv_us (server CPU µs per query), r_srv_sys (% of it in the
# kernel), r_jit_s (CPU s of peak-dns's JIT compilers, when it is peak-dns), r_idle_s (the other server's
# CPU s), r_core (server core busy %), r_sirq (of which interrupts %), r_perf_us (dnsperf CPU µs per
# query), r_perf_core (dnsperf core busy %), r_noise (% of the busier core taken by other processes),
# r_steal (% stolen by the hypervisor), r_waited (s waited for quiet), r_tries.
measure() {
    local pid other p0 o0 c0 s0 d0 j0 p1 o1 c1 s1 d1 j1
    if [[ $1 == knot ]]; then pid=$knot_pid other=$peak_pid; else pid=$peak_pid other=$knot_pid; fi
    r_tries=0
    while :; do
        r_tries=$((r_tries + 1))
        wait_quiet
        j0=$(jit_cpu "$peak_pid")
        p0=$(proc_user_sys "$pid") o0=$(proc_cpu "$other") c0=$(children_cpu) s0=$(core_cpu "$server_cpus") d0=$(core_cpu "$perf_cpus")
        dnsperf_run "$2" "$3" "$4" "$5" "$6"
        p1=$(proc_user_sys "$pid") o1=$(proc_cpu "$other") c1=$(children_cpu) s1=$(core_cpu "$server_cpus") d1=$(core_cpu "$perf_cpus")
        j1=$(jit_cpu "$peak_pid")
        kill -0 "$pid" 2>/dev/null || die "$1 died during a run (log in $dir)"
        r_qps=$(field 'Queries per second' "$6")
        r_sent=$(field 'Queries sent' "$6")
        r_completed=$(field 'Queries completed' "$6")
        r_lost=$(field 'Queries lost' "$6")
        r_size=$(awk '/Average packet size/ { print $7 }' "$6")
        r_rcodes=$(awk -F': *' '/Response codes/ { print $2 }' "$6")
        read -r r_srv_s r_srv_us r_srv_sys r_jit_s r_idle_s r_core r_sirq r_perf_us r_perf_core r_noise r_steal < <(awk \
            -v name="$1" -v p0="$p0" -v p1="$p1" -v jit=$((j1 - j0)) -v idle=$((o1 - o0)) -v perf=$((c1 - c0)) -v s0="$s0" -v s1="$s1" -v d0="$d0" -v d1="$d1" \
            -v hz="$hz" -v n="$r_completed" -v shared="$shared" 'BEGIN {
                split(s0, a); split(s1, b); split(d0, c); split(d1, d); split(p0, u); split(p1, v)
                srv = v[1] + v[2] - u[1] - u[2]; sys = v[2] - u[2]
                st = b[1] + b[2] + b[3] + b[4] - a[1] - a[2] - a[3] - a[4]; if (st <= 0) st = 1
                dt = d[1] + d[2] + d[3] + d[4] - c[1] - c[2] - c[3] - c[4]; if (dt <= 0) dt = 1
                if (n <= 0) n = 1
                # cores shared: dnsperf is no noise on the server cores, nor the servers on the dnsperf cores
                noise0 = (b[1] + b[2] - a[1] - a[2] - srv - idle - (shared ? perf : 0)) / st
                noise1 = (d[1] + d[2] - c[1] - c[2] - perf - (shared ? srv + idle : 0)) / dt
                noise = noise0 > noise1 ? noise0 : noise1; if (noise < 0) noise = 0
                steal0 = (b[4] - a[4]) / st; steal1 = (d[4] - c[4]) / dt
                printf "%.2f %.2f %.0f %.2f %.2f %.0f %.0f %.2f %.0f %.0f %.1f\n", srv / hz, srv / hz / n * 1e6,
                    (srv > 0 ? 100 * sys / srv : 0), (name == "knot" ? 0 : jit / hz), idle / hz,
                    100 * (b[1] + b[2] - a[1] - a[2]) / st, 100 * (b[2] - a[2]) / st, perf / hz / n * 1e6,
                    100 * (d[1] + d[2] - c[1] - c[2]) / dt, 100 * noise, 100 * (steal0 > steal1 ? steal0 : steal1) }')
        if ((r_noise <= NOISE_PCT)); then
            return 0
        fi
        if ((r_tries > RETRIES)); then
            printf '    (%s: other processes took %s %% of a core during this run too: shown, not counted)\n' "$1" "$r_noise"
            return 0
        fi
        printf '    (%s: %.0f QPS, but other processes took %s %% of a core: run again)\n' "$1" "$r_qps" "$r_noise"
        mv "$6" "${6%.txt}-noisy$r_tries.txt"
    done
}

# header [first column's title]
header() {
    printf '%-6s %-9s %9s %6s %9s %5s %5s %6s %5s %9s %6s %7s %5s\n' "${1:-run}" server QPS lost "srv µs/q" "sys%" "jit s" \
        "core%" "sirq%" "perf µs/q" "perf%" "noise%" tries
}
row() {
    printf '%-6s %-9s %9.0f %6s %9.2f %5s %5s %6s %5s %9.2f %6s %7s %5s\n' "$1" "$2" "$r_qps" "$r_lost" "$r_srv_us" "$r_srv_sys" \
        "$r_jit_s" "$r_core" "$r_sirq" "$r_perf_us" "$r_perf_core" "$r_noise" "$r_tries$( ((r_noise <= NOISE_PCT)) || echo '*')"
}
legend() {
    cat <<EOF

srv µs/q: the server process's CPU time (user+sys, every thread) per answered query, sys%: the part
of it in the kernel, jit s: CPU taken by peak-dns's JIT compilers during the run; core%: how busy
the servers' CPU $server_cpus was (everything), sirq%: the part of it in softirq (loopback delivery of
the answers, also counted in the server's sys time); perf µs/q and perf%: the same for dnsperf and its CPU
$perf_cpus; noise%: the share of the busier core taken by other processes; tries: runs needed
(noise above $NOISE_PCT % repeats a run; * = still noisy, not counted). A server whose core% stays well below 100 while perf% is
near 100 was limited by dnsperf, not by itself: compare srv µs/q then.
EOF
}

# --- sweep mode ------------------------------------------------------------------------------------------------
if [[ $MODE == sweep ]]; then
    say "warm-up: peak-dns ${WARMUP_SECONDS} s (not counted)"
    dnsperf_run "$PEAK_PORT" "$WARMUP_SECONDS" "$CLIENTS" "$OUTSTANDING" "$dir/runs/warmup-peak-dns.txt"
    echo
    header "-c/-q"
    IFS='|' read -ra combos <<<"$SWEEP"
    for combo in "${combos[@]}"; do
        read -r c q <<<"$combo"
        for s in "knot $KNOT_PORT" "peak-dns $PEAK_PORT"; do
            set -- $s
            measure "$1" "$2" "$SWEEP_SECONDS" "$c" "$q" "$dir/runs/sweep-$1-c$c-q$q.txt"
            row "$c/$q" "$1"
        done
    done
    legend
    say "raw dnsperf output: $dir/runs"
    exit 0
fi

# --- the benchmark ------------------------------------------------------------------------------------------------
say "warm-up: knot 3 s, peak-dns $WARMUP_SECONDS s (JIT; not counted)"
dnsperf_run "$KNOT_PORT" 3 "$CLIENTS" "$OUTSTANDING" "$dir/runs/warmup-knot.txt"
dnsperf_run "$PEAK_PORT" "$WARMUP_SECONDS" "$CLIENTS" "$OUTSTANDING" "$dir/runs/warmup-peak-dns.txt"
say "warm-up peak-dns: $(field 'Queries per second' "$dir/runs/warmup-peak-dns.txt") QPS"
echo
header
runs_json=()
declare -A qps_list us_list core_list perf_list pair
idle_total=0
noisy=0
pair_ratios=()
for ((i = 1; i <= REPEATS; i++)); do
    pair=()
    for s in "knot $KNOT_PORT" "peak-dns $PEAK_PORT"; do
        set -- $s
        measure "$1" "$2" "$SECONDS_PER_RUN" "$CLIENTS" "$OUTSTANDING" "$dir/runs/$i-$1.txt"
        row "$i" "$1"
        [[ $r_rcodes == "NOERROR $r_completed (100.00%)" ]] || say "warning: $1 answered other than NOERROR: $r_rcodes"
        counted=true
        if ((r_noise > NOISE_PCT)); then
            counted=false
            noisy=$((noisy + 1))
        else
            qps_list[$1]+="$r_qps "
            us_list[$1]+="$r_srv_us "
            core_list[$1]+="$r_core "
            perf_list[$1]+="$r_perf_core "
            pair[$1]=$r_qps
        fi
        idle_total=$(awk -v a="$idle_total" -v b="$r_idle_s" 'BEGIN { print a + b }')
        runs_json+=("$(printf '{"repeat": %d, "server": "%s", "qps": %s, "sent": %s, "completed": %s, "lost": %s, "server_cpu_s": %s, "server_cpu_us_per_query": %s, "server_sys_pct": %s, "jit_cpu_s": %s, "idle_server_cpu_s": %s, "server_core_busy_pct": %s, "server_core_softirq_pct": %s, "dnsperf_cpu_us_per_query": %s, "dnsperf_core_busy_pct": %s, "noise_pct": %s, "steal_pct": %s, "response_bytes": %s, "tries": %s, "waited_for_quiet_s": %s, "counted": %s}' \
            "$i" "$1" "$r_qps" "$r_sent" "$r_completed" "$r_lost" "$r_srv_s" "$r_srv_us" "$r_srv_sys" "$r_jit_s" "$r_idle_s" "$r_core" "$r_sirq" \
            "$r_perf_us" "$r_perf_core" "$r_noise" "$r_steal" "$r_size" "$r_tries" "$r_waited" "$counted")")
    done
    if [[ -n ${pair[knot]:-} && -n ${pair[peak-dns]:-} ]]; then
        pair_ratios+=("$(awk -v p="${pair[peak-dns]}" -v k="${pair[knot]}" 'BEGIN { printf "%.2f", p / k }')")
    fi
done
legend

# median min max median-µs/q min-µs/q max-µs/q median-core% median-dnsperf-core%
stats() {
    echo "$(tr ' ' '\n' <<<"${qps_list[$1]}" | grep . | median) $(tr ' ' '\n' <<<"${qps_list[$1]}" | grep . | minmax)" \
        "$(tr ' ' '\n' <<<"${us_list[$1]}" | grep . | median) $(tr ' ' '\n' <<<"${us_list[$1]}" | grep . | minmax)" \
        "$(tr ' ' '\n' <<<"${core_list[$1]}" | grep . | median) $(tr ' ' '\n' <<<"${perf_list[$1]}" | grep . | median)"
}
for s in knot peak-dns; do
    [[ -n ${qps_list[$s]:-} ]] || die "no run of $s was quiet enough to count (other processes above $NOISE_PCT % of a core every time): try again when the machine is idle, or raise NOISE_PCT"
done
read -r knot_med knot_min knot_max knot_us knot_us_min knot_us_max knot_core knot_perf < <(stats knot)
read -r peak_med peak_min peak_max peak_us peak_us_min peak_us_max peak_core peak_perf < <(stats peak-dns)
read -r ratio us_ratio < <(awk -v p="$peak_med" -v k="$knot_med" -v pu="$peak_us" -v ku="$knot_us" \
    'BEGIN { printf "%.2f %.2f\n", p / k, (pu > 0 ? ku / pu : 0) }')
summary() { # name median min max µs/q µs-min µs-max core%
    printf '%-9s median %7.0f QPS of %d runs  min %7.0f  max %7.0f  (spread %4.1f %%)  %5.2f µs CPU/query (%.2f–%.2f) = %4.0f k QPS per CPU second  core %s %%\n' \
        "$1" "$2" "$(wc -w <<<"${qps_list[$1]}")" "$3" "$4" "$(awk -v a="$3" -v b="$4" -v m="$2" 'BEGIN { print 100 * (b - a) / m }')" \
        "$5" "$6" "$7" "$(awk -v u="$5" 'BEGIN { print (u > 0 ? 1000 / u : 0) }')" "$8"
}
echo
summary knot "$knot_med" "$knot_min" "$knot_max" "$knot_us" "$knot_us_min" "$knot_us_max" "$knot_core"
summary peak-dns "$peak_med" "$peak_min" "$peak_max" "$peak_us" "$peak_us_min" "$peak_us_max" "$peak_core"
# The target: as fast as the authoritative server operators already run.
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 1 ? "meets" : "below") }')
echo "ratio     median QPS peak-dns / knot = $ratio ($verdict the 1.0 target)"
((${#pair_ratios[@]} == 0)) || echo "          per repeat (each peak-dns run against the knot run just before it): ${pair_ratios[*]}"
echo "          CPU per query knot / peak-dns = $us_ratio (what one core of each can answer, whoever limited the QPS)"
for s in "knot $knot_core $knot_perf" "peak-dns $peak_core $peak_perf"; do
    ((shared == 0)) || break
    set -- $s
    if awk -v c="$2" -v p="$3" 'BEGIN { exit !(c < 95 && p >= 95) }'; then
        echo "note: $1's core was $2 % busy (softirq included) while dnsperf's was $3 %: dnsperf, not $1, limited $1's QPS"
        [[ $1 == knot ]] && echo "      (so knot could answer more, the QPS ratio flatters peak-dns, and CPU per query is the fairer comparison)"
    fi
done
((noisy == 0)) || echo "note: $noisy run(s) stayed noisy (other processes above $NOISE_PCT % of a core) after $RETRIES retries: not counted"
echo "the idle server used $idle_total s of CPU during the other's runs, in all"
# peak-dns's garbage: young collections over its whole life, against every query it answered so far
read -r gcs gc_ms alloc_mb < <(awk '/Pause Young/ { n++; split($0, a, /[ (]/); for (i in a) if (a[i] ~ /^[0-9]+M->[0-9]+M$/) { split(a[i], m, /M->|M/); mb += m[1] - m[2] }
    if (match($0, /[0-9.]+ms$/)) ms += substr($0, RSTART, RLENGTH - 2) } END { printf "%d %.0f %.0f\n", n, ms, mb }' "$dir/peak-dns-gc.log")
answered=$(cat "$dir"/runs/*peak-dns*.txt | awk '/Queries completed:/ { n += $3 } END { print n + 0 }')
awk -v g="$gcs" -v ms="$gc_ms" -v mb="$alloc_mb" -v q="$answered" 'BEGIN { if (q > 0 && g > 0)
    printf "peak-dns garbage: about %.1f KB per query (%d young collections, %.0f ms of pauses over %.1f M queries)\n", mb * 1024 / q, g, ms, q / 1e6 }'
gc_json=$(awk -v g="$gcs" -v ms="$gc_ms" -v mb="$alloc_mb" -v q="$answered" 'BEGIN { printf "{\"young_collections\": %d, \"pause_ms\": %.0f, \"queries\": %d, \"kb_per_query\": %.2f}", g, ms, q, (q > 0 ? mb * 1024 / q : 0) }')

{
    printf '{\n  "date": "%s",\n  "machine": "%s",\n  "knot_version": "%s",\n  "dnsperf_version": "%s",\n  "java_version": "%s",\n  "peak_dns_commit": "%s",\n' \
        "$stamp" "$machine" "$knot_version" "$dnsperf_version" "$java_version" "$commit"
    printf '  "settings": {"repeats": %d, "seconds_per_run": %d, "warmup_seconds": %d, "clients": %d, "outstanding": %d, "edns": %s, "workers": %d, "server_cpus": "%s", "dnsperf_cpus": "%s", "niceness": %d, "heap": "%s", "query": "%s AAAA", "noise_pct": %d, "retries": %d, "peak_opts": "%s"},\n' \
        "$REPEATS" "$SECONDS_PER_RUN" "$WARMUP_SECONDS" "$CLIENTS" "$OUTSTANDING" "$([[ $EDNS == 1 ]] && echo true || echo false)" \
        "$WORKERS" "$server_cpus" "$perf_cpus" "$niceness" "$HEAP" "$QNAME" "$NOISE_PCT" "$RETRIES" "$PEAK_OPTS"
    printf '  "runs": [\n'
    for ((j = 0; j < ${#runs_json[@]}; j++)); do
        printf '    %s%s\n' "${runs_json[j]}" "$( ((j + 1 < ${#runs_json[@]})) && echo , || true)"
    done
    printf '  ],\n'
    for s in "knot $knot_med $knot_min $knot_max $knot_us $knot_us_min $knot_us_max $knot_core $knot_perf" \
        "peak_dns $peak_med $peak_min $peak_max $peak_us $peak_us_min $peak_us_max $peak_core $peak_perf"; do
        set -- $s
        printf '  "%s": {"median_qps": %s, "min_qps": %s, "max_qps": %s, "median_cpu_us_per_query": %s, "min_cpu_us_per_query": %s, "max_cpu_us_per_query": %s, "qps_per_cpu_second": %.0f, "median_core_busy_pct": %s, "median_dnsperf_core_busy_pct": %s},\n' \
            "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$(awk -v u="$5" 'BEGIN { print (u > 0 ? 1e6 / u : 0) }')" "$8" "$9"
    done
    printf '  "ratio": %s,\n  "ratio_per_repeat": [%s],\n  "cpu_per_query_ratio": %s,\n  "peak_dns_gc": %s,\n  "target": 1.0\n}\n' \
        "$ratio" "$(IFS=,; echo "${pair_ratios[*]}")" "$us_ratio" "$gc_json"
} >"$dir/result.json"

# --- optional: where peak-dns spends its time -------------------------------------------------------------------
if [[ $PROFILE == 1 ]]; then
    echo
    say "profile: one more peak-dns run of $SECONDS_PER_RUN s under JFR (not counted)"
    declare -A t0
    for t in /proc/"$peak_pid"/task/*; do t0[${t##*/}]=$(proc_user_sys "$peak_pid/task/${t##*/}" 2>/dev/null || echo "0 0"); done
    taskset -c "$perf_cpus" jcmd "$peak_pid" JFR.start name=bench settings=profile >/dev/null
    dnsperf_run "$PEAK_PORT" "$SECONDS_PER_RUN" "$CLIENTS" "$OUTSTANDING" "$dir/runs/profile-peak-dns.txt"
    taskset -c "$perf_cpus" jcmd "$peak_pid" JFR.stop name=bench filename="$dir/peak-dns.jfr" >/dev/null
    say "profiled run: $(field 'Queries per second' "$dir/runs/profile-peak-dns.txt") QPS (with JFR on)"
    echo "CPU by thread during that run (s: user + system):"
    for t in /proc/"$peak_pid"/task/*; do
        id=${t##*/}
        now=$(proc_user_sys "$peak_pid/task/$id" 2>/dev/null || echo "0 0")
        awk -v a="${t0[$id]:-0 0}" -v b="$now" -v hz="$hz" -v name="$(cat "$t/comm" 2>/dev/null)" 'BEGIN { split(a, x); split(b, y)
            u = (y[1] - x[1]) / hz; s = (y[2] - x[2]) / hz; if (u + s >= 0.02) printf "%.2f  %5.2f + %5.2f  %s\n", u + s, u, s, name }'
    done | sort -rg | head -6 | awk '{ $1 = ""; print " " $0 }'
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$dir/peak-dns.jfr" >"$dir/execution-samples.txt"
    total=$(grep -c 'jdk.ExecutionSample' "$dir/execution-samples.txt" || true)
    # Each sample as "self frame <- caller <- caller's caller", argument lists dropped
    echo "Hottest frames (self time) of $total Java execution samples, with their callers:"
    awk '/stackTrace = \[/ { n = 0; line = ""; in_st = 1; next }
        in_st && /^[ \t]+\]/ { in_st = 0; print line; next }
        in_st && n < 3 { sub(/^[ \t]+/, ""); sub(/[ \t]*line:.*/, ""); sub(/\(.*\)/, ""); line = (n++ ? line " <- " : "") $0 }' \
        "$dir/execution-samples.txt" | sort | uniq -c | sort -rn | head -15
    # the methods called by METHOD (a prefix of the frame), counted once per sample
    callees() {
        awk -v m="$1" '/stackTrace = \[/ { delete seen; prev = ""; in_st = 1; next } in_st && /^[ \t]+\]/ { in_st = 0; next }
            in_st { sub(/^[ \t]+/, ""); sub(/[ \t]*line:.*/, ""); sub(/\(.*\)/, ""); if (index($0, m) == 1 && prev != "" && !seen[prev]++) print prev; prev = $0 }' \
            "$dir/execution-samples.txt" | sort | uniq -c | sort -rn | head -"${2:-8}"
    }
    # where the outermost peak-dns frame of each sample hands over: the split between peak-dns's own
    # work and the Netty / Vert.x / JDK code it calls
    echo "Under the outermost peak-dns frame of each sample (frame -> what it called):"
    awk '/stackTrace = \[/ { n = 0; in_st = 1; next }
        in_st && /^[ \t]+\]/ { in_st = 0; out = "(no peak-dns frame: Netty / Vert.x event loop)"
            for (i = n; i >= 1; i--) if (f[i] ~ /^dev\.peak/) {
                j = i - 1; while (j >= 1 && f[j] == f[i]) j--   # a bridge method has the same name
                out = f[i] " -> " (j >= 1 ? f[j] : "(self)"); break }
            print out; next }
        in_st { sub(/^[ \t]+/, ""); sub(/[ \t]*line:.*/, ""); sub(/\(.*\)/, ""); f[++n] = $0 }' \
        "$dir/execution-samples.txt" | sort | uniq -c | sort -rn | head -10
    echo "Called from QueryPipeline.answer:"
    callees dev.peak.dns.server.QueryPipeline.answer 6
    echo "Native-method samples of the busiest threads (20 ms period; epoll_wait is idle time):"
    jfr print --events jdk.NativeMethodSample "$dir/peak-dns.jfr" \
        | awk '/sampledThread/ { t = $3 } /stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/[ \t]*line:.*/, ""); print t, $0 }' \
        | sort | uniq -c | sort -rn | head -6
    say "recording: $dir/peak-dns.jfr"
fi

# --- optional: where each server's CPU goes, by Linux perf -----------------------------------------------------
# One sample per PERF_PERIOD_NS of the server's own CPU time (cpu-clock: present on VMs without PMU
# counters too), so samples times the period is CPU time, and divided by the queries answered in the
# window, CPU per query: the same measure as the table above, split by where the time goes.
PERF_PERIOD_NS=250000
perf_profile() { # name pid port
    local data=$dir/perf-$1.data window=$((SECONDS_PER_RUN - 2))
    dnsperf_run "$3" "$SECONDS_PER_RUN" "$CLIENTS" "$OUTSTANDING" "$dir/runs/perf-$1.txt" &
    local run=$!
    sleep 1
    perf record -q -e cpu-clock -c "$PERF_PERIOD_NS" -p "$2" -o "$data" -- sleep "$window" 2>>"$dir/perf.log"
    wait "$run"
    perf_queries[$1]=$(awk -v q="$(field 'Queries per second' "$dir/runs/perf-$1.txt")" -v w="$window" 'BEGIN { printf "%.0f", q * w }')
}
# perf_table name: µs per query by shared object, then the hottest symbols
perf_table() {
    local data=$dir/perf-$1.data n=${perf_queries[$1]}
    printf '%s: %s queries in the window; µs of CPU per query by where it went, then the hottest symbols:\n' "$1" "$n"
    perf report -i "$data" --stdio -n --sort dso -g none 2>>"$dir/perf.log" | awk -v n="$n" -v p="$PERF_PERIOD_NS" '
        /^#/ || NF < 3 { next } { us = $2 * p / 1e3 / n; total += us; sub(/^ *[^ ]+ +[^ ]+ +/, ""); printf "  %6.3f  %s\n", us, $0 }
        END { printf "  %6.3f  all\n", total }' | sed -E 's/\[kernel\.kallsyms\]/kernel/; s/libnetty_transport_native_epoll[^ ]*/(Netty native epoll)/; s/\[JIT\] tid [0-9]+/(JIT-compiled Java)/; s/ +$//'
    perf report -i "$data" --stdio -n --sort dso,sym -g none 2>>"$dir/perf.log" | awk -v n="$n" -v p="$PERF_PERIOD_NS" '
        /^#/ || NF < 4 { next } { us = $2 * p / 1e3 / n; sub(/^ *[^ ]+ +[^ ]+ +/, ""); printf "  %6.3f  %s\n", us, $0 }' \
        | sed -E 's/libnetty_transport_native_epoll[^ ]*/(Netty native epoll)/; s/\[JIT\] tid [0-9]+/(JIT)/; s/\[kernel\.kallsyms\]/kernel/; s/ +/ /g' | awk 'NR <= 15'
}
if [[ $PROFILE == perf ]]; then
    echo
    say "profile: one more run of each server under perf record (not counted; $((SECONDS_PER_RUN - 2)) s window inside a $SECONDS_PER_RUN s run)"
    declare -A perf_queries
    perf_profile knot "$knot_pid" "$KNOT_PORT"
    perf_profile peak-dns "$peak_pid" "$PEAK_PORT"
    # The JVM writes the names of its compiled methods when it stops.
    kill -TERM "$peak_pid"
    wait "$peak_pid" 2>/dev/null || true
    perf_table knot
    perf_table peak-dns
    say "recordings: $dir/perf-knot.data $dir/perf-peak-dns.data (perf report -i FILE; JIT names: /tmp/perf-$peak_pid.map)"
fi

say "results: $dir/result.json (raw dnsperf output: $dir/runs)"
