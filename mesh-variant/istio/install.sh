#!/usr/bin/env bash
# Installs Istio for the mesh variant with istioctl: install.yaml, with dual-stack.yaml on top when DUAL_STACK=1 and
# cni.yaml when ISTIO_CNI=1. `make install-istio` calls it (mesh-variant/README.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
command -v istioctl >/dev/null || {
  echo "istioctl is not installed: https://istio.io/latest/docs/setup/install/istioctl/ (1.28, the version install.yaml is written for)" >&2
  exit 3
}
files=(-f "$here/install.yaml")
[ "${DUAL_STACK:-}" = 1 ] && files+=(-f "$here/dual-stack.yaml")
if [ "${ISTIO_CNI:-}" = 1 ]; then
  files+=(-f "$here/cni.yaml")
  # The CNI node agent mounts the node's CNI directories (hostPath): its namespace must allow privileged pods
  # whatever the cluster's default Pod Security level is
  kubectl create namespace istio-system --dry-run=client -o yaml | kubectl apply -f -
  kubectl label --overwrite namespace istio-system pod-security.kubernetes.io/enforce=privileged
fi
set -x
istioctl install "${files[@]}" -y
