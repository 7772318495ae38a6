# shellcheck shell=bash
# What bench-dns.sh and compare-knot.sh share, so the two cannot drift apart: the private network
# namespace they run in, the one zone Knot DNS and peak-dns both serve there (Knot from a zone file,
# peak-dns from its static file), waiting for a server's first answer, and stopping every process
# started. Sourced, not run; the sourcing script defines die() and sets KNOT_PORT and PEAK_PORT.

# The zone: one service, a, of one address, with the same name, TTL (peak-dns's default, 5 s) and
# address in both servers; ns.<zone> has the same address in both (Knot's record, peak-dns's
# peak.dns.nameserver-addresses).
ZONE=peak.test.
QNAME=a.peak.test.
ADDRESS=fd00:70ea::a:1
TTL=5
NS_ADDRESS=fd00:70ea::53

# What both scripts need, as command:Debian package.
LAB_TOOLS=(knotd:knot dig:bind9-dnsutils unshare:util-linux taskset:util-linux ip:iproute2 java:openjdk-17-jre-headless)

# lab_require SCRIPT COMMAND:PACKAGE...: stops, naming the package of each command missing.
lab_require() {
    local script=$1 spec missing=()
    shift
    for spec in "$@"; do
        command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec%%:*} (Debian package: ${spec#*:})")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "$script: missing tools; install them first (apt-get install <package>):" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
}

# True once the script runs inside the namespace lab_enter_namespace made.
lab_in_namespace() {
    [[ -n ${LAB_HOST_NETNS:-} ]]
}

# lab_enter_namespace NICE SCRIPT [ARGS...]: runs SCRIPT again with bash inside a new private network
# namespace, niceness raised by NICE. Root needs only the network namespace; others a user namespace too.
lab_enter_namespace() {
    local nice=$1 namespace
    shift
    if [[ $EUID -eq 0 ]]; then
        namespace=(unshare --net)
    else
        namespace=(unshare --user --map-root-user --net)
    fi
    LAB_HOST_NETNS=$(readlink /proc/self/ns/net)
    export LAB_HOST_NETNS
    exec nice -n "$nice" "${namespace[@]}" -- bash "$@"
}

# Inside the namespace: refuses to go on in the host's own, and brings up loopback (::1 only).
lab_setup_namespace() {
    [[ $(readlink /proc/self/ns/net) != "$LAB_HOST_NETNS" ]] || die "still in the host's network namespace: refusing to run"
    ip link set lo up
    ip -6 addr show dev lo | grep -q 'inet6 ::1/128' || die "no ::1 on lo in the namespace (IPv6 disabled?)"
}

# lab_write_zone DIR [UDP_WORKERS]: Knot's zone file and configuration in DIR/knot (DIR/knot/db
# made; UDP_WORKERS UDP workers, 1 unless given), peak-dns's static file at DIR/services.yaml.
lab_write_zone() {
    local dir=$1 workers=${2:-1}
    mkdir -p "$dir/knot/db"
    cat >"$dir/knot/peak.test.zone" <<ZONEFILE
\$ORIGIN $ZONE
\$TTL $TTL
@    SOA ns hostmaster 1 3600 600 86400 $TTL
@    300 NS ns
ns   300 AAAA $NS_ADDRESS
a    $TTL AAAA $ADDRESS
ZONEFILE
    # UDP workers as asked, one TCP and one background worker; no modules, so no RRL (mod-rrl is off
    # unless loaded).
    cat >"$dir/knot/knot.conf" <<KNOTCONF
server:
    rundir: "$dir/knot"
    listen: ::1@$KNOT_PORT
    udp-workers: $workers
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: notice
database:
    storage: "$dir/knot/db"
template:
  - id: default
    storage: "$dir/knot"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: $ZONE
    file: "peak.test.zone"
KNOTCONF
    # peak-dns: the same name, TTL and address; health checks off; RRL is off by default.
    cat >"$dir/services.yaml" <<SERVICES
zone: $ZONE
ttl: $TTL
services:
  a:
    policy: round-robin
    answer-size: 1
    port: 8080
    health: {interval: 0}
    endpoints: ["$ADDRESS"]
SERVICES
}

# lab_peak_properties DIR [UDP_SOCKETS]: sets the array peak_properties to the -D options that make
# peak-dns serve that zone on [::1]:PEAK_PORT (UDP_SOCKETS sockets, 1 unless given; admin HTTP on ::1).
lab_peak_properties() {
    peak_properties=(-Dpeak.dns.host=::1 -Dpeak.dns.port="$PEAK_PORT" -Dpeak.dns.udp.sockets="${2:-1}"
        -Dpeak.dns.static.file="$1/services.yaml" -Dpeak.dns.nameserver-addresses="$NS_ADDRESS"
        -Dquarkus.http.host=::1)
}

# lab_wait_answer NAME PORT PID LOG: waits (60 s at most) until the server answers QNAME AAAA with ADDRESS.
lab_wait_answer() {
    local deadline=$((SECONDS + 60)) got
    while ((SECONDS < deadline)); do
        kill -0 "$3" 2>/dev/null || { tail -20 "$4" >&2; die "$1 exited while starting (log: $4)"; }
        got=$(dig @::1 -p "$2" "$QNAME" AAAA +short +time=1 +tries=1 2>/dev/null || true)
        [[ $got == "$ADDRESS" ]] && return 0
        sleep 0.5
    done
    tail -20 "$4" >&2
    die "$1 did not answer $QNAME AAAA on [::1]:$2 within 60 s (log: $4)"
}

# Every process the script started, by PID; lab_cleanup (the EXIT trap) stops them: TERM, then KILL
# after 10 s, and exits with the script's status.
pids=()
lab_cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    exit "$rc"
}
