#!/usr/bin/env bash
# Builds the grader as WebAssembly: Sources/Grading/*.swift (the same files the native binary
# compiles) plus wasm/GraderExports.swift, with Embedded Swift for wasm32-unknown-none-wasm, and
# wasm/runtime.c for the few C functions the Embedded runtime needs. Usage:
#   scripts/build-wasm.sh [OUT]     (default OUT: Sources/WebExport/Resources/grader.wasm)
# Exits 3 with a reason when the toolchain has no wasm32 Embedded target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/Sources/WebExport/Resources/grader.wasm}"
swiftc="$(command -v swiftc)"
bin="$(dirname "$(readlink -f "$swiftc")")"
lib="$bin/../lib/swift/embedded/wasm32-unknown-none-wasm"
clang="$bin/clang"; [ -x "$clang" ] || clang="$(command -v clang || true)"
wasm_ld="$bin/wasm-ld"; [ -x "$wasm_ld" ] || wasm_ld="$(command -v wasm-ld || true)"
if [ ! -d "$bin/../lib/swift/embedded/Swift.swiftmodule" ] || [ ! -f "$lib/libswiftUnicodeDataTables.a" ] \
   || [ -z "$clang" ] || [ -z "$wasm_ld" ]; then
  echo "build-wasm: this Swift toolchain ($swiftc) has no Embedded wasm32-unknown-none-wasm target with clang and wasm-ld" >&2
  exit 3
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$swiftc" -target wasm32-unknown-none-wasm -enable-experimental-feature Embedded -wmo -Osize \
  -Xfrontend -disable-stack-protector -parse-as-library -module-name Grading \
  -c "$root"/Sources/Grading/*.swift "$root/wasm/GraderExports.swift" -o "$work/grading.o"
"$clang" --target=wasm32-unknown-none-wasm -O2 -nostdlib -ffreestanding -c "$root/wasm/runtime.c" -o "$work/runtime.o"
mkdir -p "$(dirname "$out")"
"$wasm_ld" --no-entry --gc-sections --strip-all \
  --export=grader_alloc --export=grader_free --export=grader_grade \
  "$work/grading.o" "$work/runtime.o" "$lib/libswiftUnicodeDataTables.a" -o "$out"
echo "build-wasm: wrote $out ($(wc -c < "$out") bytes)" >&2
