#!/usr/bin/env bash
# Applies or deletes one variant on the cluster of kubectl's current context (k8s/README.md); the
# Makefile's deploy-peak, deploy-proxy, deploy-mesh and undeploy call it.
#
#   k8s/deploy.sh apply  peak|proxy|proxy-nginx|mesh
#   k8s/deploy.sh delete peak|proxy|proxy-nginx|mesh
#   k8s/deploy.sh render peak|...        # print the manifests that apply would send; needs no cluster
#
# Environment: REGISTRY (images pushed by `make images REGISTRY=...`; default: the bare peak/* names),
# IMAGE_TAG (default: the project version; `make images NATIVE=1` pushes <version>-native),
# DUAL_STACK=1 (IPv6 and IPv4 Services, k8s/components/dual-stack).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
action=${1:-}
variant=${2:-}
usage() { echo "usage: k8s/deploy.sh apply|delete|render peak|proxy|proxy-nginx|mesh" >&2; exit 2; }

case "$variant" in
  peak | proxy | proxy-nginx) source_dir=k8s/overlays/$variant ;;
  mesh) source_dir=mesh-variant ;;
  *) usage ;;
esac
case "$action" in apply | delete | render) ;; *) usage ;; esac

command -v kubectl >/dev/null || {
  echo "kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (1.27 or newer: kustomize v5)" >&2; exit 3; }

if [ "$action" != render ]; then
  # A clear stop when nothing answers, instead of kubectl's retries and a stack of errors
  context=$(kubectl config current-context 2>/dev/null || true)
  if ! error=$(kubectl version --request-timeout=5s 2>&1 >/dev/null); then
    echo "No Kubernetes cluster is reachable from kubectl's current context (${context:-none is set})." >&2
    echo "Start one or point KUBECONFIG at one, then retry; k8s/README.md lists what the cluster needs (IPv6, LoadBalancer)." >&2
    echo "kubectl said: $(echo "$error" | tail -n 1)" >&2
    exit 1
  fi
  if [ "$variant" = mesh ]; then
    missing=()
    for crd in gateways.networking.istio.io virtualservices.networking.istio.io destinationrules.networking.istio.io \
               sidecars.networking.istio.io peerauthentications.security.istio.io authorizationpolicies.security.istio.io; do
      kubectl get crd "$crd" --request-timeout=5s >/dev/null 2>&1 || missing+=("$crd")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Istio is not installed on this cluster (missing CRDs: ${missing[*]})." >&2
      echo "Install it first: istioctl install -f mesh-variant/istio/install.yaml -y (mesh-variant/README.md)." >&2
      exit 1
    fi
  fi
fi

# The key set the Secret is generated from; the same as `make keys` writes, in the kustomization's tree
if [ ! -f "$root/k8s/base/keys/signing-jwks.json" ]; then
  echo "No key set in k8s/base/keys: writing one (make keys KEYS=k8s/base/keys)" >&2
  make -s -C "$root" keys KEYS="$root/k8s/base/keys" >&2
fi

# A kustomization of our own on top of the variant: registry, tag and dual stack are the user's choice
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/pom.xml" | head -n 1)
tag=${IMAGE_TAG:-$version}
dir="$root/k8s/.deploy/$variant"
mkdir -p "$dir"
{
  echo "# Written by k8s/deploy.sh $action $variant; regenerated on every run"
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - ../../../$source_dir"
  if [ "${DUAL_STACK:-}" = 1 ]; then
    echo "components:"
    echo "  - ../../components/dual-stack"
  fi
  echo "images:"
  for image in service-a service-b peak-dns; do
    echo "  - name: peak/$image"
    [ -n "${REGISTRY:-}" ] && echo "    newName: ${REGISTRY%/}/peak/$image"
    echo "    newTag: \"$tag\""
  done
} > "$dir/kustomization.yaml"

case "$action" in
  render) kubectl kustomize "$dir" ;;
  apply)
    # the variant's namespace, from what apply reports ("namespace/peak created"), without rendering twice
    kubectl apply -k "$dir" | tee "$dir/applied.txt"
    namespace=$(sed -n 's|^namespace/\([^ ]*\) .*|\1|p' "$dir/applied.txt")
    echo
    echo "Applied $source_dir to namespace $namespace. Wait for it: kubectl -n $namespace rollout status deploy --timeout=5m"
    ;;
  delete) kubectl delete -k "$dir" --ignore-not-found ;;
esac
