# Sourced by ./ktp: installs what is missing and builds what is stale. Idempotent; quiet when all is there.
# shellcheck shell=bash

KTP_ROOT=${KTP_ROOT:?}
KTP_STATE="$KTP_ROOT/.ktp"
KTP_CONFIG=${KTP_CONFIG:-Release}
mkdir -p "$KTP_STATE"

# Packages by purpose: `./ktp ocr` needs only the first two groups.
KTP_PKGS_OCR="libtesseract5 libtesseract-dev libleptonica-dev tesseract-ocr-ind tesseract-ocr-eng libopencv-core-dev libopencv-imgproc-dev cmake g++"
KTP_PKGS_CORPUS="fonts-liberation fonts-ocr-a fonts-dejavu imagemagick librsvg2-bin"
KTP_PKGS_SERVICES="rabbitmq-server postgresql redis-server"
# Deploy checks: scripts/helm.sh unpacks helm/kubectl from an npm tarball; promtool and prometheus run the dashboard queries.
KTP_PKGS_DEPLOY="unzip prometheus"

ktp_log() { printf '\033[2m[ktp]\033[0m %s\n' "$*" >&2; }
ktp_die() { printf '[ktp] error: %s\n' "$*" >&2; exit 1; }

ktp_missing_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

ktp_ensure_packages() {
  local missing; missing=$(ktp_missing_packages "$@")
  [ -z "${missing// /}" ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || ktp_die "missing packages ($missing) and not root: install them, or run as root"
    sudo="sudo"
  fi
  ktp_log "installing: $missing"
  # Service packages must not start system-wide daemons on their default ports: the project runs its own.
  local rcd=/usr/sbin/policy-rc.d had_rcd=0
  [ -e "$rcd" ] && had_rcd=1
  [ $had_rcd = 1 ] || printf '#!/bin/sh\nexit 101\n' | $sudo tee "$rcd" >/dev/null && $sudo chmod +x "$rcd"
  local log="$KTP_STATE/apt.log"
  if ! { [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ] || $sudo apt-get update -q; } >"$log" 2>&1 \
     || ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >>"$log" 2>&1; then
    [ $had_rcd = 1 ] || $sudo rm -f "$rcd"
    tail -20 "$log" >&2; ktp_die "apt-get failed (full log: $log)"
  fi
  [ $had_rcd = 1 ] || $sudo rm -f "$rcd"
}

# Newest modification time (epoch seconds) among the files that feed a build.
ktp_newest_source() {
  find "$@" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.cpp' -o -name '*.h' \
    -o -name '*.hpp' -o -name 'CMakeLists.txt' -o -name '*.json' -o -name '*.csv' -o -name '*.sln' \) \
    -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/build/*' -printf '%T@\n' 2>/dev/null | sort -n | tail -1 | cut -d. -f1
}

ktp_stale() { # ktp_stale STAMP PATH... -> true when a source is newer than the stamp
  local stamp="$KTP_STATE/$1"; shift
  [ -f "$stamp" ] || return 0
  [ "$(ktp_newest_source "$@")" -gt "$(stat -c %Y "$stamp")" ]
}

ktp_build_shim() {
  local src="$KTP_ROOT/worker/native/ktpshim" out="$KTP_ROOT/worker/native/build"
  [ -f "$src/CMakeLists.txt" ] || return 0
  if [ -f "$out/libktpshim.so" ] && ! ktp_stale shim.stamp "$src"; then return 0; fi
  ktp_log "building native shim (cmake)"
  local log="$KTP_STATE/shim-build.log"
  { cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Release && cmake --build "$out" -j2; } >"$log" 2>&1 \
    || { tail -30 "$log" >&2; ktp_die "native shim build failed (log: $log)"; }
  touch "$KTP_STATE/shim.stamp"
}

ktp_build_dotnet() {
  if ! ktp_stale dotnet.stamp "$KTP_ROOT/worker" "$KTP_ROOT/ingest-api" "$KTP_ROOT/operator" "$KTP_ROOT/tests" \
       "$KTP_ROOT/Directory.Build.props" "$KTP_ROOT/Directory.Packages.props" "$KTP_ROOT/KtpFleet.sln"; then return 0; fi
  ktp_log "building the solution ($KTP_CONFIG)"
  local log="$KTP_STATE/dotnet-build.log"
  dotnet build "$KTP_ROOT/KtpFleet.sln" -c "$KTP_CONFIG" -nologo -clp:ErrorsOnly >"$log" 2>&1 \
    || { grep -E 'error|Error' "$log" | sort -u | head -40 >&2; ktp_die "build failed (log: $log)"; }
  touch "$KTP_STATE/dotnet.stamp"
}

ktp_ensure_dotnet() {
  command -v dotnet >/dev/null || ktp_die "the .NET 10 SDK is required (dotnet not on PATH)"
}
