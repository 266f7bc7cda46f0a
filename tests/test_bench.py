"""The benchmark's quick mode runs end to end: a smoke test, never a timed assertion."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.browser
FIGURES = (
    "check_seconds", "check_cold_seconds", "cold_seconds", "material_seconds", "edit_seconds",
    "edit_known_seconds", "preview_seconds",
    "peak_bytes", "material_peak_bytes", "site_bytes", "largest_page_bytes",
    "fiche_page_view_bytes", "first_search_bytes",
)  # fmt: skip


def test_the_quick_benchmark_measures_every_figure_against_material(tmp_path: Path) -> None:
    """100 fiches, one run: every figure is there, each ratio is its two times divided."""
    done = subprocess.run(
        [sys.executable, REPO / "benchmarks" / "bench.py", "--quick", "--out", tmp_path],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    (result,) = report["results"]
    assert result["fiches"] == 100
    for figure in FIGURES:
        assert result[figure] > 0, figure
    assert result["cold_ratio"] == result["cold_seconds"] / result["material_seconds"]
    assert result["edit_ratio_to_cold"] == result["edit_seconds"] / result["cold_seconds"]
    known = result["edit_known_seconds"] / result["cold_seconds"]
    assert result["edit_known_ratio_to_cold"] == known
    previews = result["preview_runs"]
    assert len(previews) == 3 and result["preview_seconds"] == sorted(previews)[1]
    stages = result["stages"]
    assert "Conversion des pages (MkDocs)" in stages and "Index de recherche (Pagefind)" in stages
    within = result["stages_within"]  # the editor is installed while Pagefind runs
    assert within == {"Éditeur en ligne": "Index de recherche (Pagefind)"}
    assert stages["Éditeur en ligne"] <= stages["Index de recherche (Pagefind)"]
    assert sum(s for name, s in stages.items() if name not in within) <= result["cold_seconds"]
    table = (tmp_path / "bench.md").read_text(encoding="utf-8")
    row = next(line for line in table.splitlines() if line.startswith("| 100 |"))
    assert f"{result['cold_ratio']:.2f}×" in row and f"{result['material_seconds']:.1f} s" in row
    for name in stages:
        label = f"{name} (pendant : {within[name]})" if name in within else name
        assert f"| {label} |" in table
