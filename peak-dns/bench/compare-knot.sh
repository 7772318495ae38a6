#!/usr/bin/env bash
# peak-dns against Knot DNS, answer by answer (issue 15, item 3): both serve the same zone (lab.sh) in
# a private network namespace over ::1, every query of the table below goes to each with dig, and the
# answers are compared on what a client acts on: the rcode, the header flags (AA, TC, RD, RA, ...), the
# number of records in the answer, authority and additional sections, the types in the answer, and
# EDNS (version, payload size, DO, options). IDs, TTLs and record data are not compared, nor Knot's
# server-specific options (NSID). Prints a Markdown table, one row per query, and writes it to
# OUT/table.md; a difference peak-dns makes on purpose says so in its row (the reasons are in
# peak-dns/README.md, "Differences from Knot DNS").
#
#   peak-dns/bench/compare-knot.sh      (make compare-knot builds the jar first, then runs this)
#
# Settings (environment):
#   PEAK_PORT (5300), KNOT_PORT (5301)
#   JAR (peak-dns/target/quarkus-app/quarkus-run.jar), HEAP (128m)
#   OUT (peak-dns/target/compare-knot)  table.md; run/ holds both servers' configuration and logs
#                                       and every dig output
#
# Exit status: 0 when every difference is a deliberate one, 1 when another one turned up.
# Builds nothing. Needs root, or unprivileged user namespaces. Every process it starts lives in the
# namespace, talks over ::1 only, and is killed by PID on exit. It stays on the CPUs it was started on
# (taskset -c 1 compare-knot.sh keeps off CPU 0): knotd pins its UDP worker to a CPU of its own
# choosing, so once it answers, its threads are put back on this script's CPUs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module=$(dirname "$here")
# shellcheck source=lab.sh
source "$here/lab.sh"

PEAK_PORT=${PEAK_PORT:-5300}
KNOT_PORT=${KNOT_PORT:-5301}
JAR=${JAR:-$module/target/quarkus-app/quarkus-run.jar}
HEAP=${HEAP:-128m}
OUT=${OUT:-$module/target/compare-knot}

die() { echo "compare-knot: $*" >&2; exit 1; }
say() { echo "compare-knot: $*" >&2; }

case ${1:-} in
    "") ;;
    -h|--help|help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "no arguments (--help)" ;;
esac

# ---------------------------------------------------------------------------------------------------
# Outside: check the tools, then run this script again inside a private network namespace.
if ! lab_in_namespace; then
    lab_require compare-knot "${LAB_TOOLS[@]}"
    [[ -f $JAR ]] || die "no peak-dns jar at $JAR: build it first (mvn -pl peak-dns -am package -DskipTests, or make compare-knot)"
    lab_enter_namespace 0 "$0" "$@"
fi

# ---------------------------------------------------------------------------------------------------
# Inside the namespace from here on.
lab_setup_namespace
run=$OUT/run
rm -rf "$run"
mkdir -p "$run/digs"
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lab_write_zone "$run"
cpus=$(taskset -p -c $$ | awk -F': ' '{ print $2 }')
knotd -c "$run/knot/knot.conf" >"$run/knot.log" 2>&1 &
knot_pid=$!
pids+=("$knot_pid")
lab_peak_properties "$run"
java -XX:ActiveProcessorCount=1 -Xmx"$HEAP" "${peak_properties[@]}" -jar "$JAR" >"$run/peak-dns.log" 2>&1 &
peak_pid=$!
pids+=("$peak_pid")
lab_wait_answer knotd "$KNOT_PORT" "$knot_pid" "$run/knot.log"
taskset -a -p -c "$cpus" "$knot_pid" >/dev/null
lab_wait_answer peak-dns "$PEAK_PORT" "$peak_pid" "$run/peak-dns.log"

# --- the queries ---------------------------------------------------------------------------------------------
# id|what it checks|dig arguments (dig's defaults: RD, AD, EDNS0 with a 1232-byte payload and a client cookie)
long_label=$(printf 'x%.0s' {1..63})
queries=(
    "a-aaaa|AAAA at a service|-q a.peak.test -t AAAA"
    "a-a|A at an IPv6-only service (NODATA)|-q a.peak.test -t A"
    "a-srv|SRV at a service|-q a.peak.test -t SRV"
    "a-txt|TXT at a service|-q a.peak.test -t TXT"
    "a-any|ANY at a service (RFC 8482)|-q a.peak.test -t ANY"
    "a-any-tcp|ANY at a service over TCP|-q a.peak.test -t ANY +tcp"
    "a-hinfo|HINFO at a service|-q a.peak.test -t HINFO"
    "nxdomain|a name that does not exist|-q nosuch.peak.test -t AAAA"
    "below|a name below a service|-q x.a.peak.test -t AAAA"
    "apex-soa|SOA at the apex|-q peak.test -t SOA"
    "apex-ns|NS at the apex|-q peak.test -t NS"
    "apex-any|ANY at the apex|-q peak.test -t ANY"
    "apex-a|A at the apex|-q peak.test -t A"
    "ns-a|A of the name server|-q ns.peak.test -t A"
    "ns-aaaa|AAAA of the name server|-q ns.peak.test -t AAAA"
    "ns-any|ANY of the name server|-q ns.peak.test -t ANY"
    "axfr|AXFR (TCP)|-q peak.test -t AXFR"
    "ixfr|IXFR (TCP)|-q peak.test -t IXFR=1"
    "chaos|CHAOS version.bind|-q version.bind -c CH -t TXT"
    "class-none|class NONE|-q a.peak.test -c NONE -t A"
    "class-any|class ANY|-q a.peak.test -c ANY -t AAAA"
    "notify|opcode NOTIFY|-q peak.test -t SOA +opcode=notify +norec"
    "update|opcode UPDATE|-q peak.test -t SOA +opcode=update +norec"
    "outside|a name outside the zone|-q example.com -t A"
    "badvers|EDNS version 1 (BADVERS)|-q a.peak.test -t AAAA +edns=1 +noednsnegotiation"
    "edns-option|an unknown EDNS option|-q a.peak.test -t AAAA +ednsopt=65001:abcd"
    "no-edns|no EDNS|-q a.peak.test -t AAAA +noedns"
    "do|the DO bit|-q a.peak.test -t AAAA +dnssec"
    "do-nxdomain|the DO bit, NXDOMAIN|-q nosuch.peak.test -t AAAA +dnssec"
    "cookie|a client cookie|-q a.peak.test -t AAAA +cookie"
    "nocookie|no cookie|-q a.peak.test -t AAAA +nocookie"
    "badcookie|a cookie of 5 bytes (malformed, RFC 7873 FORMERR)|-q a.peak.test -t AAAA +cookie=0102030405"
    "servercookie|a client and a server cookie|-q a.peak.test -t AAAA +cookie=0102030405060708090a0b0c0d0e0f10"
    "norec|RD clear|-q a.peak.test -t AAAA +norec"
    "cd|CD set|-q a.peak.test -t AAAA +cdflag"
    "payload-512|EDNS payload 512|-q a.peak.test -t AAAA +bufsize=512"
    "tcp|TCP|-q a.peak.test -t AAAA +tcp"
    "caa|CAA at a service|-q a.peak.test -t CAA"
    "type65534|TYPE65534 at a service|-q a.peak.test -t TYPE65534"
    "case|a case-randomised name (0x20)|-q A.pEaK.TeSt -t AAAA"
    "long-label|a 63-octet label|-q $long_label.peak.test -t AAAA"
)

# Differences peak-dns makes on purpose (peak-dns/README.md, "Differences from Knot DNS"), by query id.
declare -A deliberate=(
    [axfr]="REFUSED, as BIND refuses a transfer; no transfers at all"
    [ixfr]="REFUSED, as for AXFR"
    [chaos]="every class but IN is refused; no server version given out"
    [notify]="NOTIMP: peak-dns has no primary to be notified by"
    [update]="NOTIMP: no dynamic update; discovery sources change the zone"
    [badcookie]="FORMERR, as RFC 7873 5.2.2 asks (and BIND does); Knot without its cookies module ignores the option"
)

# What a client acts on in one dig output: rcode, flags, section counts, answer types, EDNS.
summarize() {
    awk '
        /^;; ->>HEADER<<-/ { match($0, /status: [A-Z0-9]+/); rcode = substr($0, RSTART + 8, RLENGTH - 8); got = 1 }
        /^;; flags:/ {
            split($0, parts, ";"); flags = parts[3]; sub(/^ *flags: */, "", flags)
            match($0, /ANSWER: [0-9]+/); an = substr($0, RSTART + 8, RLENGTH - 8)
            match($0, /AUTHORITY: [0-9]+/); ns = substr($0, RSTART + 11, RLENGTH - 11)
            match($0, /ADDITIONAL: [0-9]+/); ar = substr($0, RSTART + 12, RLENGTH - 12)
        }
        /^; EDNS:/ {
            match($0, /version: [0-9]+/); edns = "EDNS" substr($0, RSTART + 9, RLENGTH - 9)
            match($0, /udp: [0-9]+/); edns = edns " udp " substr($0, RSTART + 5, RLENGTH - 5)
            if (match($0, /flags:[^;]*;/)) { f = substr($0, RSTART + 6, RLENGTH - 7); gsub(/^ +| +$/, "", f); if (f != "") edns = edns " " f }
            in_opt = 1; next
        }
        in_opt && /^; [A-Z]+:/ {
            name = $2; sub(/:$/, "", name)
            if (name == "NSID") next      # server-specific text
            options = options " " name (name == "EDE" ? ":" $3 : "")
            next
        }
        /^;; QUESTION SECTION:/ { in_opt = 0 }
        /^;; [A-Z]+ SECTION:/ { section = $2; next }
        /^$/ { section = "" }
        section == "ANSWER" && !/^;/ && NF >= 4 { types = types (types == "" ? "" : ",") $4 }
        /Transfer failed/ { failed = 1 }
        END {
            if (!got) { print "no answer"; exit }
            printf "%s, %s, %s/%s/%s, %s, %s%s%s\n", rcode, flags, an, ns, ar, (types == "" ? "-" : types),
                (edns == "" ? "no EDNS" : edns), options, (failed ? ", transfer failed" : "")
        }' "$1"
}

ask() { # port id args...
    local port=$1 id=$2
    shift 2
    dig @::1 -p "$port" +time=2 +tries=1 +comments +question +nostats +nocmd "$@" >"$run/digs/$id.$port.txt" 2>&1 || true
}

knot_version=$(knotd --version | head -1 | awk '{ print $NF }')
commit=$(git -C "$module" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown ]] && ! git -C "$module" diff --quiet HEAD -- src pom.xml 2>/dev/null; then commit="$commit+dirty"; fi
table=$OUT/table.md
unexpected=0
{
    echo "peak-dns ($commit) against Knot DNS $knot_version, the same zone, $(date -u +%Y-%m-%d); dig $(dig -v 2>&1 | awk '{ print $2 }')."
    echo "Each side: rcode, header flags, answer/authority/additional counts (additional counts the OPT record), answer types, EDNS."
    echo
    echo "| query | Knot DNS | peak-dns | same? |"
    echo "|---|---|---|---|"
    for q in "${queries[@]}"; do
        IFS='|' read -r id what args <<<"$q"
        # shellcheck disable=SC2086 # the arguments are words
        ask "$KNOT_PORT" "$id" $args
        # shellcheck disable=SC2086
        ask "$PEAK_PORT" "$id" $args
        knot=$(summarize "$run/digs/$id.$KNOT_PORT.txt")
        peak=$(summarize "$run/digs/$id.$PEAK_PORT.txt")
        shown=${args//$long_label/x…x}
        if [[ $knot == "$peak" ]]; then
            same=yes
        elif [[ -n ${deliberate[$id]:-} ]]; then
            same="no, deliberate: ${deliberate[$id]}"
        else
            same="**NO**"
            unexpected=$((unexpected + 1))
        fi
        echo "| $what: \`$shown\` | $knot | $peak | $same |"
    done
} >"$table"
cat "$table"
echo
echo "table: $table"
((unexpected == 0)) || { say "$unexpected difference(s) not known to be deliberate (dig outputs: $run/digs)"; exit 1; }
