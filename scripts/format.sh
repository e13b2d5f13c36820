#!/usr/bin/env bash
# Formats every C++ file of the project with clang-format (LLVM style, see
# .clang-format); with --check, lists the files that differ and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-$(command -v clang-format-19 || command -v clang-format)}
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h')
if [[ ${1:-} == --check ]]; then
  bad=0
  for f in "${files[@]}"; do
    if ! "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1; then
      echo "not formatted: $f"
      bad=1
    fi
  done
  exit $bad
fi
"$clang_format" -i "${files[@]}"
