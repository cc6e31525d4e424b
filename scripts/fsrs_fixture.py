#!/usr/bin/env python3
"""Writes the FSRS parity fixture: seeded random review histories run through py-fsrs.

    python3 scripts/fsrs_fixture.py [--histories N] [--seed S] [--out PATH]

Each history is a card reviewed 1 to 15 times by a scheduler with py-fsrs's defaults (FSRS-6
parameters, learning steps 1 and 10 minutes, relearning step 10 minutes, maximum interval 36,500
days) and fuzzing off, at one desired retention (0.9 for most, others between 0.7 and 0.97). The
gaps between reviews are a mix of exactly at the due time, minutes, hours, days and early reviews,
in whole seconds (so every due time is a whole second too); ratings are drawn Again 20 %, Hard 15 %, Good 55 %, Easy 10 %.

For every review the fixture keeps what the Swift scheduler must reproduce: the time and rating,
the retrievability of the card just before it (py-fsrs's get_card_retrievability), and the card
after it (state, step, stability, difficulty, due), one array per review in COLUMNS' order. Tests/ProgressTests/FSRSParityTests.swift
replays the same histories and compares within 1e-4 relative. Needs `pip install fsrs` (6.x).
"""

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone

try:
    import fsrs
    from fsrs import Card, Rating, Scheduler
except ImportError:
    sys.exit("fsrs_fixture: py-fsrs is not installed; run `python3 -m pip install fsrs` (scripts/setup.sh does)")

COLUMNS = ["at", "rating", "retrievability_before", "state", "step", "stability", "difficulty", "due"]
RETENTIONS = [0.7, 0.8, 0.85, 0.95, 0.97]


def short(value):
    """`value` to 10 significant digits (the test compares to 1e-4 relative), keeping the file small."""
    return float(f"{value:.10g}")


def gap(rng, card, now):
    """Seconds until the next review."""
    kind = rng.random()
    until_due = max(0, int((card.due - now).total_seconds()))
    if kind < 0.35:
        return until_due
    if kind < 0.5:
        return rng.randint(30, 3 * 3600)
    if kind < 0.65:
        return rng.randint(3 * 3600, 36 * 3600)
    if kind < 0.85:
        return rng.randint(1, 90) * 86400 + rng.randint(0, 86399)
    return int(until_due * rng.uniform(0.2, 0.95))


def history(rng):
    retention = 0.9 if rng.random() < 0.6 else rng.choice(RETENTIONS)
    scheduler = Scheduler(desired_retention=retention, enable_fuzzing=False)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randint(0, 300 * 86400))
    card = Card(card_id=1, due=start)
    now = start
    reviews = []
    for index in range(rng.randint(1, 15)):
        if index > 0:
            now = now + timedelta(seconds=gap(rng, card, now))
        rating = rng.choices([Rating.Again, Rating.Hard, Rating.Good, Rating.Easy], weights=[20, 15, 55, 10])[0]
        before = scheduler.get_card_retrievability(card, current_datetime=now)
        card, _ = scheduler.review_card(card, rating, review_datetime=now)
        reviews.append([int(now.timestamp()), int(rating), short(before), int(card.state), card.step,
                        short(card.stability), short(card.difficulty), int(card.due.timestamp())])
    return {"retention": retention, "reviews": reviews}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--histories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default="Tests/ProgressTests/Fixtures/fsrs-parity.json")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    version = getattr(fsrs, "__version__", None)
    if version is None:
        from importlib.metadata import version as package_version
        version = package_version("fsrs")
    fixture = {
        "generator": "scripts/fsrs_fixture.py",
        "py_fsrs": version,
        "seed": args.seed,
        "parameters": list(Scheduler().parameters),
        "columns": COLUMNS,
        "histories": [history(rng) for _ in range(args.histories)],
    }
    with open(args.out, "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")
    count = sum(len(h["reviews"]) for h in fixture["histories"])
    print(f"fsrs_fixture: {args.histories} histories, {count} reviews, py-fsrs {version} -> {args.out}")


if __name__ == "__main__":
    main()
