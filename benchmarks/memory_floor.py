"""What the same work per item costs at 1,000 and at 10,000 items, in plain Python.

    .venv/bin/python benchmarks/memory_floor.py

The catalogue relates fiches to other fiches: each one intersects its terms with those
of about 50 others, found through the terms they share, so anywhere in memory. This does
that work alone, on sets of numbers: once on each item's neighbours, once on items drawn
at random. The work per item is the same at both sizes; what changes is whether what it
reaches is still in the processor's caches. Not a test.
"""

from __future__ import annotations

import random
import statistics
import time

SIZES = (1000, 10000)
PARTNERS = 50  # others reached from each item, as the similar fiches' candidates
TERMS = 6  # terms per item
RUNS = 7


def seconds(count: int, seed: int, *, near: bool) -> float:
    rng = random.Random(seed)
    sets = [frozenset(rng.sample(range(400), TERMS)) for _ in range(count)]
    if near:
        partners = [[(i + k) % count for k in range(PARTNERS)] for i in range(count)]
    else:
        partners = [[rng.randrange(count) for _ in range(PARTNERS)] for _ in range(count)]
    started = time.perf_counter()
    shared = 0
    for own, others in zip(sets, partners, strict=True):
        for other in others:
            shared += len(own & sets[other])
    return time.perf_counter() - started


def main() -> None:
    print("| accès | " + " | ".join(f"{n} éléments (µs/élément)" for n in SIZES) + " | × |")
    print("|---|" + "---|" * len(SIZES) + "---|")
    for near, label in [(True, "voisins"), (False, "au hasard")]:
        median = {
            n: statistics.median(seconds(n, seed, near=near) for seed in range(RUNS)) for n in SIZES
        }
        per_item = " | ".join(f"{median[n] / n * 1e6:.1f}" for n in SIZES)
        print(f"| {label} | {per_item} | {median[SIZES[-1]] / median[SIZES[0]]:.1f} |")


if __name__ == "__main__":
    main()
