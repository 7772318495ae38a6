#!/usr/bin/env bash
# Builds the images with Jib (no Docker daemon) and pushes them, each build under a tag of its own, then records
# their digests in k8s/.deploy/images-<jvm|native>.env, from which k8s/deploy.sh deploys exactly these images.
# `make images` calls it (k8s/README.md).
#
# Environment: REGISTRY (required: <host>[/<path>]), NATIVE=1 (native executables, built in the Mandrel builder
# container), IMAGE_TAG (a tag of your own instead of <version>-<commit>), MVN and MVNFLAGS (the Makefile's).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
registry=${REGISTRY:-}
registry=${registry%/}
if [ -z "$registry" ]; then
  echo "make images pushes to a registry: make images REGISTRY=<host>[/<path>], e.g. ghcr.io/you;" >&2
  echo "then deploy them with the same REGISTRY=... (make deploy-peak REGISTRY=ghcr.io/you)." >&2
  exit 1
fi
mvn=${MVN:-mvn}
read -r -a flags <<< "${MVNFLAGS:--B}"
native=
[ "${NATIVE:-}" = 1 ] && native=1

# A tag no other build has: the project's version and the commit, plus the time when the work tree differs from the
# commit. A re-pushed tag is what leaves nodes running a stale image (IfNotPresent keeps the first one pulled).
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/pom.xml" | head -n 1)
now=$(date -u +%Y%m%dT%H%M%SZ)
if commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null); then
  build=$version-$commit
  [ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] || build=$build-dirty-$now
else
  build=$version-$now
fi
tag=${IMAGE_TAG:-$build${native:+-native}}
simulations=$registry/peak/simulations:${IMAGE_TAG:-$build} # a JVM image in every case

host=${registry%%/*}
path=${registry#"$host"}
path=${path#/}
modules=(service-a service-b peak-dns)
cd "$root"
for module in "${modules[@]}" loadtests/simulations; do rm -f "$module/target/jib-image.digest"; done
set -x
"$mvn" "${flags[@]}" install -DskipTests -pl service-a,service-b,peak-dns -am ${native:+-Dnative} \
  -Dquarkus.container-image.push=true -Dquarkus.container-image.registry="$host" \
  -Dquarkus.container-image.group="${path:+$path/}peak" -Dquarkus.container-image.tag="$tag"
# the in-cluster load generators' image (docs/simulations.md)
"$mvn" "${flags[@]}" -q install -DskipTests -pl loadtests/simulations -am
"$mvn" "${flags[@]}" -pl loadtests/simulations jib:build -Dimage="$simulations"
{ set +x; } 2>/dev/null

digest() { # what Jib pushed, from the file it writes beside the build
  local file=$1/target/jib-image.digest
  [ -s "$file" ] || { echo "$file is missing: the build above did not push $1" >&2; exit 1; }
  cat "$file"
}
flavour=jvm
[ -n "$native" ] && flavour=native
# every digest read before the record is written: a missing one stops here, with no half-written record
lines=()
for module in "${modules[@]}"; do
  pushed=$(digest "$module")
  lines+=("$module=$pushed")
done
pushed=$(digest loadtests/simulations)
lines+=("simulations=$simulations@$pushed")
record=$root/k8s/.deploy/images-$flavour.env
mkdir -p "$(dirname "$record")"
{
  echo "# Written by make images at $now: what it pushed. k8s/deploy.sh deploys these digests when REGISTRY matches."
  echo "registry=$registry"
  echo "tag=$tag"
  printf '%s\n' "${lines[@]}"
} > "$record"

echo
echo "Pushed to $registry with tag $tag; digests in ${record#"$root"/}."
echo "Deploy them:                make deploy-peak REGISTRY=$registry${native:+ NATIVE=1} (or deploy-proxy, deploy-mesh)"
echo "Load from inside a cluster: loadtests/scale.sh bench --platform kubernetes --load-in-cluster \\"
echo "                              --simulations-image $(sed -n 's/^simulations=//p' "$record")"
