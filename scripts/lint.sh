#!/usr/bin/env bash
# Lints the Swift sources with the toolchain's swift-format and the repository's .swift-format
# (4-space indent, 120 columns; rules chosen to match the code's existing style).
#   bash scripts/lint.sh          # every finding, as errors; exit 1 if there is any
#   bash scripts/lint.sh --summary  # the number of findings by rule
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests Benchmarks Package.swift)
if [[ "${1:-}" == "--summary" ]]; then
    swift format lint --strict --recursive --parallel "${paths[@]}" 2>&1 \
        | sed -nE 's/.*(warning|error): \[([A-Za-z]+)\].*/\2/p' | sort | uniq -c | sort -rn
    exit 0
fi
exec swift format lint --strict --recursive --parallel "${paths[@]}"
