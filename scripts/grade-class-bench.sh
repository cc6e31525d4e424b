#!/bin/sh
# Generates a class of N learners (default 1000), each answering every bundled exercise once or
# twice at a seed of its own, in both answer-file formats, then times `mhalearn grade` on it.
# Usage: scripts/grade-class-bench.sh [N] [BINARY]   (BINARY default: .build-release/release/mhalearn)
set -eu
N=${1:-1000}
BIN=${2:-.build-release/release/mhalearn}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mhalearn-class-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DIR="$WORK/answers"
mkdir "$DIR"
IDS=$(grep -h '^  - id: ' exercises/*/*.yaml | sed 's/^  - id: //')
python3 - "$DIR" "$N" $IDS <<'PY'
import json, random, sys
folder, count, ids = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rng = random.Random(15)
guesses = ["64", "[11, 64]", "a", "b, c", "concatenation", "512", "8", "[8, 11, 64]", "12288", "banana"]
for learner in range(count):
    seed = rng.randrange(10**9)
    if learner % 2:
        lines = [f"seed: {seed}"] + [f"{i}: {rng.choice(guesses)}" for i in ids for _ in range(rng.randint(1, 2))]
        open(f"{folder}/learner{learner:04d}.txt", "w").write("\n".join(lines) + "\n")
    else:
        lines = [json.dumps({"type": "result", "id": i, "seed": seed,
                             "attempts": [{"answer": rng.choice(guesses)} for _ in range(rng.randint(1, 2))]}) for i in ids]
        open(f"{folder}/learner{learner:04d}.jsonl", "w").write("\n".join(lines) + "\n")
PY
echo "$N learners, $(echo "$IDS" | wc -l) exercises each, in $DIR"
START=$(date +%s.%N)
"$BIN" grade "$DIR" --csv "$WORK/grades.csv" > "$WORK/report.txt"
END=$(date +%s.%N)
echo "graded in $(echo "$END - $START" | bc) s; $(($(wc -l < "$WORK/grades.csv") - 1)) rows"
head -3 "$WORK/report.txt"
