#!/usr/bin/env python3
"""Measures the tutor's two speed targets on a built binary (use a release build):

1. answer-to-next-question latency: practice is driven through pipes in text mode; the clock starts
   when an answer line (with its Enter) is written and stops when "Question N+1 of" has been read
   back, so it covers reading, grading, the SQLite transaction, feedback and the next prompt;
2. `mhalearn` with no arguments at a terminal (a pseudo-terminal): wall time to exit.

Usage: python3 scripts/measure_tutor.py [.build-release/release/mhalearn] [sessions]
"""
import json, os, pty, shutil, statistics, subprocess, sys, tempfile, time

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build-release/release/mhalearn"
SESSIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
NOW = "2026-12-01T09:00:00Z"


def env_for(state):
    return dict(os.environ, XDG_STATE_HOME=state, MHALEARN_NOW=NOW, NO_COLOR="1")


def keys(seed, state):
    """The answer keys of the session with `seed`, read from a copy of the state."""
    probe = tempfile.mkdtemp(prefix="mhalearn-probe-")
    shutil.rmtree(probe)
    if os.path.exists(state):
        shutil.copytree(state, probe)
    out = subprocess.run([BINARY, "practice", "--seed", str(seed), "--json"], input="skip\n" * 10,
                         capture_output=True, text=True, env=env_for(probe)).stdout
    shutil.rmtree(probe, ignore_errors=True)
    return [json.loads(line)["expected"] for line in out.splitlines() if json.loads(line)["type"] == "result"]


def read_until(stream, marker, buffer):
    while marker not in buffer:
        chunk = os.read(stream, 65536)
        if not chunk:
            raise RuntimeError("practice ended before " + marker)
        buffer += chunk.decode("utf-8", "replace")
    return buffer[buffer.index(marker) + len(marker):]


def session_latencies(seed, state):
    answers = keys(seed, state)
    process = subprocess.Popen([BINARY, "practice", "--seed", str(seed)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env_for(state))
    out = process.stdout.fileno()
    rest = read_until(out, "Question 1 of", "")
    times = []
    for number, answer in enumerate(answers[:-1], start=2):
        start = time.perf_counter()
        process.stdin.write((answer + "\n").encode())
        process.stdin.flush()
        rest = read_until(out, "Question %d of" % number, rest)
        times.append((time.perf_counter() - start) * 1000)
    process.stdin.write((answers[-1] + "\n").encode())
    process.stdin.close()
    process.wait()
    return times


def bare_map_ms(state, runs=20):
    times = []
    for _ in range(runs):
        master, slave = pty.openpty()
        start = time.perf_counter()
        process = subprocess.Popen([BINARY], stdout=slave, stderr=slave, stdin=slave, env=env_for(state))
        os.close(slave)
        while True:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
        process.wait()
        times.append((time.perf_counter() - start) * 1000)
        os.close(master)
    return times


def main():
    state = tempfile.mkdtemp(prefix="mhalearn-measure-")
    try:
        latencies = []
        for seed in range(1, SESSIONS + 1):
            latencies += session_latencies(seed, state)
        latencies.sort()
        print("answer -> next question: %d answers, median %.1f ms, 90th percentile %.1f ms, max %.1f ms"
              % (len(latencies), statistics.median(latencies), latencies[int(0.9 * (len(latencies) - 1))], latencies[-1]))
        bare = sorted(bare_map_ms(state))
        print("mhalearn (course map at a terminal), %d runs with %d sessions recorded: median %.1f ms, min %.1f ms, max %.1f ms"
              % (len(bare), SESSIONS, statistics.median(bare), bare[0], bare[-1]))
    finally:
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
