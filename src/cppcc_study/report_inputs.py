"""What a report for one year reads: the panel, the facts, the conflicts and the notebook runs.

Nothing else is read (design.md): every number in a report comes from one of these files.
Missing files are not errors here; they become ``None`` and the report says "not available".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths
from .errors import InputError
from .panel import load_facts, load_panel


@dataclass(frozen=True)
class Run:
    """One notebook run folder with its parsed ``outputs.json`` (None when absent or unreadable)."""

    folder: Path
    outputs: dict | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.outputs is not None and self.outputs.get("status", "ok") == "ok"


@dataclass(frozen=True)
class ReportInputs:
    """Everything one year's report is made from, with the sha256 of each file read."""

    year: int
    panel: pd.DataFrame  # all years (the report compares Y with Y-1)
    facts: pd.DataFrame | None
    conflicts: pd.DataFrame | None
    comparison: Run
    committee_runs: dict[str, Run]
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def this_year(self) -> pd.DataFrame:
        return self.panel[self.panel["year"] == self.year]

    @property
    def previous_year(self) -> pd.DataFrame:
        return self.panel[self.panel["year"] == self.year - 1]

    @property
    def facts_this_year(self) -> pd.DataFrame | None:
        return None if self.facts is None else self.facts[self.facts["year"] == self.year]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, keep_default_na=True, dtype={"committee": str, "province": str})
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc


def read_run(folder: Path, shown: str | None = None) -> Run:
    """Parse ``folder/outputs.json``; a missing or broken file is a Run with a problem, not an error.

    ``shown`` is how problems name the file (default: its full path).
    """
    file = folder / "outputs.json"
    name = shown or str(file)
    if not file.is_file():
        return Run(folder, None, f"{name} does not exist (run `cppcc-study run`)")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Run(folder, None, f"{name} cannot be read: {exc}")
    if not isinstance(data, dict):
        return Run(folder, None, f"{name} is not a JSON object")
    status = data.get("status", "ok")
    if status == "ok":
        return Run(folder, data)
    error = f": {data['error']}" if data.get("error") else ""
    return Run(folder, data, f"the notebook {data.get('notebook', '')} ended with status {status!r}{error} ({name})")


def load_inputs(year: int, root: Path | None = None) -> ReportInputs:
    """Read the files of ``year`` under the project ``root`` (default: ``paths.project_root()``)."""
    processed = (root / "data" / "processed") if root else paths.processed_dir()
    build = (root / "reports" / "build") if root else paths.build_dir()
    panel_path = processed / "panel.csv"
    if not panel_path.is_file():
        raise InputError(panel_path, "no panel: run `cppcc-study panel` (or `cppcc-study build`) first")
    panel = load_panel(panel_path)
    if year not in set(panel["year"].astype(int)):
        years = ", ".join(str(y) for y in sorted(set(panel["year"].astype(int))))
        raise InputError(panel_path, f"no committee reports for {year}; the panel has {years or 'no years'}")
    hashes = {"panel.csv": sha256(panel_path)}
    facts_path, conflicts_path = processed / "facts.csv", processed / "conflicts.csv"
    facts = load_facts(facts_path) if facts_path.is_file() else None
    conflicts = _read_csv(conflicts_path) if conflicts_path.is_file() else None
    for p in (facts_path, conflicts_path):
        if p.is_file():
            hashes[p.name] = sha256(p)
    year_dir = build / str(year)
    committees = sorted(set(panel.loc[panel["year"] == year, "committee"]))

    def run(folder: str) -> Run:
        return read_run(year_dir / folder, f"reports/build/{year}/{folder}/outputs.json")

    # the built-in notebooks' runs; other grid notebooks' runs are not part of the report
    runs = {c: run(paths.run_folder_name(c, paths.COMMITTEE_NOTEBOOK)) for c in committees}
    return ReportInputs(year, panel, facts, conflicts, run(paths.run_folder_name(None, paths.YEAR_NOTEBOOK)),
                        runs, hashes)
