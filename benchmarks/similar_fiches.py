"""How long the « fiches proches » take, alone, at 1,000, 2,000, 5,000 and 10,000 fiches.

    .venv/bin/python benchmarks/similar_fiches.py

The fiches are the benchmark corpus's facet choices (corpus.py: Zipf-skewed terms, one
country on about 80 % of the fiches), without writing any file. Not a test.
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
sys.path.insert(0, str(HERE))

from corpus import _zipf, vocabulary  # noqa: E402

from fichotheque.model import _similar  # noqa: E402


def fiches(count: int, seed: int = 1) -> list[Any]:
    facets, _meanings = vocabulary()
    rng = random.Random(seed)
    made = []
    for index in range(count):
        terms = []
        for key, (slugs, multiple) in facets.items():
            if key == "pays":
                chosen = [slugs[0]] if rng.random() < 0.8 else _zipf(rng, slugs[1:], 1)
            elif multiple:
                chosen = _zipf(rng, slugs, rng.randint(1, max(1, min(4, len(slugs) - 1))))
            else:
                chosen = _zipf(rng, slugs, 1)
            terms.append((key, tuple(chosen)))
        made.append(SimpleNamespace(slug=f"f{index}", terms=tuple(terms)))
    return made


def main() -> None:
    for count in (1000, 2000, 5000, 10000):
        made = fiches(count)
        by_term: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for fiche in made:
            for key, slugs in fiche.terms:
                for slug in slugs:
                    by_term[(key, slug)].append(fiche)
        started = time.perf_counter()
        _similar(made, by_term, {})
        print(f"{count:>6} fiches: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
