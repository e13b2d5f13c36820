#!/usr/bin/env bash
# Installs the Debian 12 packages Kiln builds with, when any is missing.
# Idempotent: with everything present it checks and returns in well under a
# second. CUDA is never installed: Kiln detects it at build and run time.
set -euo pipefail

packages=(
  cmake ninja-build ccache git python3
  clang-19 lld-19 clang-format-19 libstdc++-12-dev libgcc-12-dev
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools libzstd-dev
  libdnnl-dev libfmt-dev libgtest-dev zlib1g-dev libstb-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "bootstrap: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "bootstrap: run as root (or install these packages yourself)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
