"""The stages of a long command: always timed, shown as they run only on a terminal.

``build`` and ``check`` go through the same stages whoever runs them; a person at a
terminal sees each one with its count and its time (rich draws them on stderr), and the
slowest named at the end. In CI (``CI`` set) or when stderr is not a terminal nothing is
shown, and the timings are still there for ``--timings`` and the benchmark.
A stage may run within another (the editor is installed while Pagefind indexes): its
time is then part of the other's, and counted once in the total.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


@dataclass(frozen=True)
class Stage:
    """One stage that ran: its French name, how long it took, how many things it did,
    and the stage it ran within, if any."""

    label: str
    seconds: float
    count: int | None = None
    within: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "etape": self.label,
            "secondes": round(self.seconds, 4),
            "nombre": self.count,
            "pendant": self.within,
        }


class Step:
    """The stage running now: its count, drawn when there is a terminal to draw on."""

    def __init__(
        self, bars: RichProgress | None, label: str, total: int | None, within: str | None
    ) -> None:
        self.label = label
        self.within = within
        self.done = 0
        self._total = total
        self._bars = bars
        self._task = bars.add_task(label, total=total, compte="") if bars is not None else None
        self._started = time.perf_counter()

    @property
    def total(self) -> int | None:
        return self._total

    @total.setter
    def total(self, total: int) -> None:
        """How many things the stage will do, once it knows."""
        self._total = total
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def finish(self) -> Stage:
        if self._bars is not None and self._task is not None:
            self.done = self._total if self._total is not None else self.done
            self._draw(finished=True)
            self._bars.stop_task(self._task)
        count = self._total if self._total is not None else (self.done or None)
        return Stage(self.label, time.perf_counter() - self._started, count, self.within)

    def _draw(self, *, finished: bool = False) -> None:
        if self._bars is None or self._task is None:
            return
        shown = f"{self.done:,}" if self.done or self._total is not None else ""
        shown += f"/{self._total:,}" if self._total is not None else ""
        total = self._total or (1 if finished else None)
        completed = self.done if self._total else (1 if finished else 0)
        self._bars.update(
            self._task, total=total, completed=completed, compte=shown.replace(",", "\u202f")
        )


def on_terminal() -> bool:
    """Whether a person watches: stderr is a terminal and this is not CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """Times each stage; on a terminal, shows a line per stage with its count."""

    def __init__(self, *, show: bool | None = None) -> None:
        self.show = on_terminal() if show is None else show
        self.stages: list[Stage] = []
        self._bars: RichProgress | None = None
        self._open: list[str] = []  # the stages running now, outermost first

    @contextmanager
    def stage(self, label: str, total: int | None = None) -> Iterator[Step]:
        """Run one stage; what it yields counts the things done (``step.advance()``)."""
        within = self._open[-1] if self._open else None
        step = Step(self._start() if self.show else None, label, total, within)
        self._open.append(label)
        try:
            yield step
        finally:
            self._open.pop()
            self.stages.append(step.finish())

    def seconds(self) -> float:
        """The time of all stages, each counted once."""
        return sum(stage.seconds for stage in self.stages if stage.within is None)

    def slowest(self) -> Stage | None:
        return max(self.stages, key=lambda stage: stage.seconds, default=None)

    def close(self) -> None:
        """Stop drawing; on a terminal, name the slowest stage."""
        if self._bars is not None:
            self._bars.stop()
            self._bars = None
            slowest = self.slowest()
            total = self.seconds()
            if slowest is not None and total > 0:
                print(
                    f"Étape la plus longue : {slowest.label} ({slowest.seconds:.1f} s sur "
                    f"{total:.1f} s).",
                    file=sys.stderr,
                )

    def _start(self) -> RichProgress:
        if self._bars is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._bars = RichProgress(
                SpinnerColumn(finished_text="✓"),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[compte]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._bars.start()
        return self._bars
