#!/usr/bin/env bash
# Installs the Debian 12 packages Kiln builds and tests with, when any is
# missing: everything scripts/main.sh and scripts/test.sh use, and nothing
# more. Idempotent: with everything present it checks and returns in well
# under a second. CUDA is never installed: Kiln detects it at build and run
# time.
#
#   scripts/bootstrap.sh                   install what is missing
#   scripts/bootstrap.sh --print-packages  print the list, one per line
set -euo pipefail

packages=(
  # build tools
  cmake ninja-build ccache git python3
  # the compiler; libclang-rt-19-dev has its sanitizer headers and runtimes
  # (the ASan+UBSan and TSan builds of scripts/test.sh)
  clang-19 lld-19 clang-format-19 libclang-rt-19-dev libstdc++-12-dev libgcc-12-dev
  # LLVM and MLIR
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools libzstd-dev
  # oneDNN; its CMake package calls find_package(OpenCL), whose headers and
  # library are only a Recommends of libdnnl-dev
  libdnnl-dev ocl-icd-opencl-dev
  # libraries
  libfmt-dev libgtest-dev zlib1g-dev libstb-dev
)

case ${1:-} in
  --print-packages)
    printf '%s\n' "${packages[@]}"
    exit 0 ;;
  "") ;;
  *)
    echo "usage: scripts/bootstrap.sh [--print-packages]" >&2
    exit 2 ;;
esac

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
