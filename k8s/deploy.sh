#!/usr/bin/env bash
# Applies or deletes one variant on the cluster of kubectl's current context (k8s/README.md); the
# Makefile's deploy-peak, deploy-proxy, deploy-mesh and undeploy call it.
#
#   k8s/deploy.sh apply  peak|proxy|proxy-nginx|mesh
#   k8s/deploy.sh delete peak|proxy|proxy-nginx|mesh    # its namespace; needs nothing but kubectl and the cluster
#   k8s/deploy.sh render peak|...        # print the manifests that apply would send; needs no cluster
#
# Environment:
#   REGISTRY    where `make images REGISTRY=...` pushed the images; apply needs it. The images are those that
#               make images recorded in k8s/.deploy/images-jvm.env (images-native.env with NATIVE=1), by digest
#   IMAGE_TAG   deploy this tag from REGISTRY instead (images pushed elsewhere, e.g. by a CI; a tag never re-pushed)
#   NATIVE=1    the native images
#   DUAL_STACK=1  IPv6 and IPv4 Services (k8s/components/dual-stack)
#   ISTIO_CNI=1   mesh only: Istio runs its CNI node agent, the namespace enforces Pod Security baseline
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
action=${1:-}
variant=${2:-}
usage() { echo "usage: k8s/deploy.sh apply|delete|render peak|proxy|proxy-nginx|mesh" >&2; exit 2; }

# Each variant's directory and namespace (the namespace its kustomization names; DeployScriptTest checks they agree)
case "$variant" in
  peak) source_dir=k8s/overlays/peak namespace=peak ;;
  proxy | proxy-nginx) source_dir=k8s/overlays/$variant namespace=peak-proxy ;;
  mesh) source_dir=mesh-variant namespace=peak-mesh ;;
  *) usage ;;
esac
case "$action" in apply | delete | render) ;; *) usage ;; esac

command -v kubectl >/dev/null || {
  echo "kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (1.27 or newer: kustomize v5)" >&2; exit 3; }

# ---- which images: the ones make images pushed from this checkout, by digest ------------------------------------
native=
[ "${NATIVE:-}" = 1 ] && native=1
flavour=jvm
[ -n "$native" ] && flavour=native
record=$root/k8s/.deploy/images-$flavour.env
recorded() { sed -n "s|^$1=||p" "$record" 2>/dev/null; }
registry=${REGISTRY:-}
registry=${registry%/}
if [ "$action" = apply ] && [ -z "$registry" ]; then
  echo "k8s/deploy.sh apply needs REGISTRY, the registry the cluster pulls the images from. Build and push them first:" >&2
  echo "  make images REGISTRY=<host>[/<path>]${native:+ NATIVE=1}   then   make deploy-$variant REGISTRY=<the same>" >&2
  exit 1
fi
declare -A reference # kustomize's images entry for each of our images: newName plus newTag or digest
if [ "$action" != delete ]; then
  version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/pom.xml" | head -n 1)
  for image in service-a service-b peak-dns; do
    name=peak/$image
    [ -n "$registry" ] && name=$registry/peak/$image
    if [ -n "${IMAGE_TAG:-}" ]; then
      reference[$image]="    newName: $name"$'\n'"    newTag: \"$IMAGE_TAG\""
    elif [ -n "$registry" ] && [ "$(recorded registry)" = "$registry" ] && [ -n "$(recorded "$image")" ]; then
      reference[$image]="    newName: $name"$'\n'"    digest: $(recorded "$image")"
    elif [ "$action" = apply ]; then
      echo "No $flavour images pushed to $registry from this checkout (k8s/.deploy/images-$flavour.env):" >&2
      echo "  make images REGISTRY=$registry${native:+ NATIVE=1}, or name a tag pushed there with IMAGE_TAG=<tag>" >&2
      exit 1
    else # render without a push: the names make images would push, at the project's version
      reference[$image]="    newName: $name"$'\n'"    newTag: \"$version${native:+-native}\""
    fi
  done
fi

if [ "$action" != render ]; then
  # A clear stop when nothing answers, instead of kubectl's retries and a stack of errors
  context=$(kubectl config current-context 2>/dev/null || true)
  if ! error=$(kubectl version --request-timeout=5s 2>&1 >/dev/null); then
    echo "No Kubernetes cluster is reachable from kubectl's current context (${context:-none is set})." >&2
    echo "Start one or point KUBECONFIG at one, then retry; k8s/README.md lists what the cluster needs (IPv6, LoadBalancer)." >&2
    echo "kubectl said: $(echo "$error" | tail -n 1)" >&2
    exit 1
  fi
fi

if [ "$action" = delete ]; then
  # Everything a variant creates lives in its namespace: deleting that needs no rendering (so no key set), no
  # Istio CRDs and no cluster-wide read of CRDs, and succeeds where the variant was never deployed
  kubectl delete namespace "$namespace" --ignore-not-found --wait=true
  exit 0
fi

if [ "$action" = apply ] && [ "$variant" = mesh ]; then
  missing=()
  for crd in gateways.networking.istio.io virtualservices.networking.istio.io destinationrules.networking.istio.io \
             sidecars.networking.istio.io peerauthentications.security.istio.io authorizationpolicies.security.istio.io; do
    kubectl get crd "$crd" --request-timeout=5s >/dev/null 2>&1 || missing+=("$crd")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Istio is not installed on this cluster (missing CRDs: ${missing[*]})." >&2
    echo "Install it first: make install-istio (mesh-variant/README.md)." >&2
    exit 1
  fi
fi

# The key set the Secret is generated from; the same as `make keys` writes, in the kustomization's tree
if [ ! -f "$root/k8s/base/keys/signing-jwks.json" ]; then
  echo "No key set in k8s/base/keys: writing one (make keys KEYS=k8s/base/keys)" >&2
  make -s -C "$root" keys KEYS="$root/k8s/base/keys" >&2
fi

# A kustomization of our own on top of the variant: images, dual stack and Istio's CNI are the user's choice
dir="$root/k8s/.deploy/$variant"
mkdir -p "$dir"
{
  echo "# Written by k8s/deploy.sh $action $variant; regenerated on every run"
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - ../../../$source_dir"
  components=()
  [ "${DUAL_STACK:-}" = 1 ] && components+=("../../components/dual-stack")
  [ "${ISTIO_CNI:-}" = 1 ] && [ "$variant" = mesh ] && components+=("../../../mesh-variant/istio-cni")
  if [ ${#components[@]} -gt 0 ]; then
    echo "components:"
    printf '  - %s\n' "${components[@]}"
  fi
  echo "images:"
  for image in service-a service-b peak-dns; do
    echo "  - name: peak/$image"
    echo "${reference[$image]}"
  done
} > "$dir/kustomization.yaml"

if [ "$action" = render ]; then
  kubectl kustomize "$dir"
  exit 0
fi

# Before the pods: would the cluster's admission (Pod Security, or a policy engine's webhook) let a server pod into
# the namespace, as the sidecar injector would complete it? A server-side dry run answers without creating it. The
# ReplicaSets would otherwise fail to create pods, which shows only in their events. The pod is service-a's as
# k8s/base writes it: image and security contexts (DeployScriptTest holds them equal).
kubectl kustomize "$dir" > "$dir/rendered.yaml"
awk '/^---$/ { exit } { print }' "$dir/rendered.yaml" > "$dir/namespace.yaml" # kustomize puts the Namespace first
grep -q '^kind: Namespace$' "$dir/namespace.yaml" || { echo "k8s/deploy.sh: $source_dir renders no Namespace first" >&2; exit 1; }
kubectl apply -f "$dir/namespace.yaml"
a_image=$(sed -n 's|^ *image: \(.*/service-a[:@].*\)$|\1|p' "$dir/rendered.yaml" | head -n 1)
if ! refusal=$(kubectl create --dry-run=server -o name -f - 2>&1 <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: peak-admission-check
  namespace: $namespace
  labels:
    app.kubernetes.io/name: service-a
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 185
    runAsGroup: 185
    fsGroup: 185
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: service-a
      image: $a_image
      resources:
        limits: {cpu: 500m, memory: 512Mi}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
EOF
); then
  {
    echo
    echo "WARNING: the cluster's admission refuses a server pod in namespace $namespace, so the $variant variant's pods"
    echo "will not start. kubectl said:"
    echo "  $(echo "$refusal" | tail -n 1)"
    if [ "$variant" = mesh ]; then
      if [ "${ISTIO_CNI:-}" = 1 ]; then
        echo "With ISTIO_CNI=1 the namespace enforces Pod Security baseline: is Istio installed with its CNI node agent"
        echo "(make install-istio ISTIO_CNI=1)? Without it, the injected istio-init needs NET_ADMIN and NET_RAW."
      else
        echo "Istio's injected istio-init container needs NET_ADMIN and NET_RAW, and the namespace is labelled to allow"
        echo "privileged pods; something else refuses them. Istio's CNI node agent removes that need:"
        echo "make install-istio ISTIO_CNI=1, then make deploy-mesh ISTIO_CNI=1 (Pod Security baseline)."
      fi
    fi
    echo "Applying anyway; mesh-variant/README.md and docs/kubernetes.md, \"Pod Security\", say more."
    echo
  } >&2
fi

kubectl apply -f "$dir/rendered.yaml"
echo
echo "Applied $source_dir to namespace $namespace. Wait for it: kubectl -n $namespace rollout status deploy --timeout=5m"
