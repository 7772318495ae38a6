#!/usr/bin/env bash
# The experiment's front door (docs/architecture.md: Contracts, The local lab): builds what is missing, then runs the
# driver inside a
# fresh lab namespace, where every lab address lives and from where no lab traffic can leave. With
# --platform kubernetes the driver runs here instead: it must reach the cluster's API and addresses
# (through the kubeconfig, with fabric8; kubectl is not needed). report, compare and model run here too: they
# only read (and write) results folders.
#
#   loadtests/scale.sh lab --variant ri1-haproxy --servers 2 [-- CMD ARGS...]
#   loadtests/scale.sh bench [--profile smoke|quick|full] [--variants ri1-peak,...]
#   loadtests/scale.sh bench --platform kubernetes [--variants ri1-peak,...] [--load-in-cluster --load-pods P]
#   loadtests/scale.sh overload --capacity 2900 --cost 5000 --cpus-per-server 1 [--max-event-loop-delay 0]
#   loadtests/scale.sh soak [--from results/latest] [--variants ri2-peak,ri2-mesh] [--minutes 30] [--fraction 0.7]
#   loadtests/scale.sh report results/latest
#   loadtests/scale.sh compare results/<ts1> results/<ts2> [--out FILE]
#   loadtests/scale.sh model [--from results/latest] [--servers 1,10,100,1000,10000] [--sessions N] [--proxy-cpus P]
#   loadtests/scale.sh --help
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/loadtests/driver/target/peak-driver.jar

on_kubernetes=false
previous=
for arg in "$@"; do
  [ "$arg" = -- ] && break # what follows is the lab's CMD
  { [ "$arg" = --platform=kubernetes ] || { [ "$previous" = --platform ] && [ "$arg" = kubernetes ]; }; } && on_kubernetes=true
  previous=$arg
done

# report, compare and model only read results folders: no lab namespace, and of the builds only the driver's
reads_results=false
case "${1:-}" in report|compare|model) reads_results=true ;; esac

command -v java >/dev/null || { echo "Java 17+ is missing: apt-get install openjdk-17-jdk-headless" >&2; exit 3; }
needed=("$jar")
sources=(pom.xml peak-common loadtests/measurement loadtests/model loadtests/driver)
if [ "$reads_results" = false ]; then
  needed+=("$root"/loadtests/simulations/target/peak-simulations.jar "$root"/peak-client/target/peak-client.jar)
  sources+=(service-a service-b peak-dns peak-client loadtests/simulations)
  # the lab runs the services' packaged applications; a cluster runs their images
  [ "$on_kubernetes" = true ] || needed+=("$root"/{service-a,service-b,peak-dns}/target/quarkus-app/quarkus-run.jar)
fi
# built when every package exists and no source is newer than the oldest of them: an edited driver or service must
# not be measured by its previous build
built=true
for app in "${needed[@]}"; do
  [ -f "$app" ] || built=false
done
if [ "$built" = true ]; then
  oldest=${needed[0]}
  for app in "${needed[@]}"; do
    [ "$app" -nt "$oldest" ] || oldest=$app
  done
  newer=$(cd "$root" && find "${sources[@]}" -path '*/target' -prune -o -type f \( -path '*/src/main/*' -o -name pom.xml \) \
    -newer "$oldest" -print -quit 2>/dev/null)
  [ -z "$newer" ] || built=false
fi
if [ "$built" = false ]; then
  command -v mvn >/dev/null || { echo "Maven is missing (needed to build the lab): apt-get install maven" >&2; exit 3; }
  echo "Building the services, peak-dns, the simulations and the driver (packages missing or older than a source)..." >&2
  (cd "$root" && mvn -B -q -Dstyle.color=never install -DskipTests -pl loadtests/driver,loadtests/simulations -am) >&2
fi

# The JVM's own warnings go to standard output by default; standard output is the lab CMD's alone (scale.sh lab),
# so they go to standard error (seen: "Cannot use file /tmp/hsperfdata_root/1" from a lab inside another lab)
java=(java -Xlog:disable -Xlog:all=warning:stderr:uptime,level,tags -Dpeak.project.root="$root" -jar "$jar")
if [ "$on_kubernetes" = true ] || [ "$reads_results" = true ]; then
  exec "${java[@]}" "$@"
fi
exec "$root/loadtests/bin/lab-namespace" "${java[@]}" "$@"
