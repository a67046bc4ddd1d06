"""The notebook grid (``params/grid.yaml``): which notebooks run for which committees and years.

``load_grid`` reads and checks the file; ``grid_jobs`` checks it against the panel and
returns one ``Job`` per notebook run. Every problem raises ``ParameterError`` naming the
file, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml

from . import paths
from .errors import ParameterError

Per = Literal["committee", "year"]
TOP_KEYS = {"panel", "facts", "committees", "years", "kernel", "notebooks"}
KERNEL_KEYS = {"name", "preload", "timeout"}
NOTEBOOK_KEYS = {"path", "per", "enabled", "options"}
#: Parameters the runner sets itself; a grid cannot override them.
RUNNER_PARAMETERS = {"committee", "year", "panel_path", "facts_path", "output_dir"}
DEFAULT_PRELOAD = ("pandas", "matplotlib.pyplot", "cppcc_study.notebook_api", "cppcc_study.panel")


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the grid: its file, whether it runs per committee-year or per year, extra parameters."""

    name: str
    path: Path
    per: Per
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Grid:
    """A checked grid file. ``committees``/``years`` are None for every one in the panel."""

    source: Path
    panel: Path
    facts: Path
    committees: tuple[str, ...] | None
    years: tuple[int, ...] | dict | None  # a dict is a {from, to} range
    notebooks: tuple[NotebookSpec, ...]
    kernel_name: str = "python3"
    preload: tuple[str, ...] = DEFAULT_PRELOAD
    timeout: int = 600


@dataclass(frozen=True)
class Job:
    """One notebook run: ``committee`` is None for a per-year notebook."""

    notebook: str
    notebook_path: Path
    committee: str | None
    year: int
    parameters: dict
    run_dir: Path

    @property
    def label(self) -> str:
        return f"{self.notebook} {self.committee + ' ' if self.committee else ''}{self.year}"


def _fail(source: Path, problem: str) -> ParameterError:
    return ParameterError(f"{source}: {problem}")


def _unknown(source: Path, where: str, got: dict, known: set[str]) -> None:
    extra = sorted(set(got) - known)
    if extra:
        raise _fail(source, f"{where}unknown key {extra[0]!r} (known: {', '.join(sorted(known))})")


def _years(source: Path, value) -> tuple[int, ...] | tuple[int, int] | None:
    """None (all), a tuple of years, or ``(from, to)`` for a range (a one-element dict)."""
    if value in (None, "all"):
        return None
    if isinstance(value, dict) and set(value) <= {"from", "to"} and value:
        lo, hi = value.get("from", 1949), value.get("to", 2100)
        if not (isinstance(lo, int) and isinstance(hi, int)) or lo > hi:
            raise _fail(source, f"years: expected a range of whole years from <= to, got {value!r}")
        return {"from": lo, "to": hi}
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(y, int) and not isinstance(y, bool) for y in value):
        return tuple(sorted(set(value)))
    raise _fail(source, f"years: expected 'all', a year, a list of years or {{from:, to:}}, got {value!r}")


def _committees(source: Path, value) -> tuple[str, ...] | None:
    if value in (None, "all"):
        return None
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(c, str) and c.strip() for c in value):
        return tuple(dict.fromkeys(c.strip() for c in value))
    raise _fail(source, f"committees: expected 'all' or a list of committee names, got {value!r}")


def _notebook(source: Path, root: Path, name: str, raw) -> NotebookSpec | None:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail(source, f"notebooks.{name}: expected a mapping, got {raw!r}")
    _unknown(source, f"notebooks.{name}: ", raw, NOTEBOOK_KEYS)
    if not paths.NOTEBOOK_NAME.fullmatch(name):
        raise _fail(source, f"notebooks.{name}: a notebook name names its run folders; "
                            "use letters, digits and underscores only")
    if not raw.get("enabled", True):
        return None
    path = root / str(raw.get("path", f"notebooks/{name}.ipynb"))
    if not path.is_file():
        raise _fail(source, f"notebooks.{name}: notebook {path} not found")
    per = raw.get("per", "year" if name == "year_comparison" else "committee")
    if per not in ("committee", "year"):
        raise _fail(source, f"notebooks.{name}.per: expected 'committee' or 'year', got {per!r}")
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise _fail(source, f"notebooks.{name}.options: expected a mapping, got {options!r}")
    clash = sorted(set(options) & RUNNER_PARAMETERS)
    if clash:
        raise _fail(source, f"notebooks.{name}.options: {clash[0]!r} is set by the runner, not the grid")
    declared = _declared_parameters(path)
    if declared is None:
        raise _fail(source, f"notebooks.{name}: {path} has no cell tagged 'parameters'")
    unknown = sorted(set(options) - declared)
    if unknown:
        raise _fail(source, f"notebooks.{name}.options: {path.name} has no parameter {unknown[0]!r}")
    if per == "committee" and "committee" not in declared:
        raise _fail(source, f"notebooks.{name}: runs per committee, but {path.name} has no parameter 'committee'")
    return NotebookSpec(name=name, path=path, per=per, options=dict(options))


def _declared_parameters(path: Path) -> set[str] | None:
    """Names in a notebook's parameters cell (None when it has no such cell)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return None
    names = set()
    for line in cell.source.splitlines():
        head = line.split("#", 1)[0].split("=", 1)
        if len(head) == 2:
            names.add(head[0].split(":", 1)[0].strip())
    return names


def load_grid(params_file: str | Path | None = None) -> Grid:
    """Read and check a grid file (default ``params/grid.yaml``); the panel is not read yet."""
    source = Path(params_file) if params_file else paths.params_dir() / "grid.yaml"
    root = paths.project_root()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(source, f"cannot read the grid file ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise _fail(source, f"not valid YAML: {str(exc).splitlines()[0]}") from exc
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise _fail(source, "expected a mapping of keys (panel, facts, committees, years, kernel, notebooks)")
    _unknown(source, "", raw, TOP_KEYS)
    kernel = raw.get("kernel") or {}
    if not isinstance(kernel, dict):
        raise _fail(source, f"kernel: expected a mapping, got {kernel!r}")
    _unknown(source, "kernel: ", kernel, KERNEL_KEYS)
    preload = kernel.get("preload", list(DEFAULT_PRELOAD)) or []
    if not isinstance(preload, list) or not all(isinstance(m, str) and m.replace(".", "").replace("_", "").isalnum()
                                                for m in preload):
        raise _fail(source, f"kernel.preload: expected a list of module names, got {preload!r}")
    kernel_name = str(kernel.get("name", "python3"))
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise _fail(source, f"kernel.name: no Jupyter kernel named {kernel_name!r} "
                            "(see `jupyter kernelspec list`)") from None
    timeout = kernel.get("timeout", 600)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise _fail(source, f"kernel.timeout: expected a positive number of seconds, got {timeout!r}")
    notebooks_raw = raw.get("notebooks", {"committee_year": {}, "year_comparison": {}})
    if not isinstance(notebooks_raw, dict) or not notebooks_raw:
        raise _fail(source, "notebooks: expected a mapping of notebook names to settings")
    specs = tuple(s for name, value in notebooks_raw.items() if (s := _notebook(source, root, str(name), value)))
    return Grid(
        source=source,
        panel=root / str(raw.get("panel", "data/processed/panel.csv")),
        facts=root / str(raw.get("facts", "data/processed/facts.csv")),
        committees=_committees(source, raw.get("committees")),
        years=_years(source, raw.get("years")),
        notebooks=specs,
        kernel_name=kernel_name,
        preload=tuple(preload),
        timeout=timeout,
    )


def grid_jobs(grid: Grid, panel: pd.DataFrame) -> list[Job]:
    """One Job per notebook run of the grid, checked against the panel."""
    known_years = sorted(int(y) for y in panel["year"].unique())
    known_committees = set(panel["committee"])
    if grid.committees:
        unknown = [c for c in grid.committees if c not in known_committees]
        if unknown:
            raise _fail(grid.source, f"committees: {unknown[0]!r} is not a committee of the panel {grid.panel}")
    span = f"{known_years[0]}–{known_years[-1]}" if known_years else "none"
    if isinstance(grid.years, dict):
        years = [y for y in known_years if grid.years["from"] <= y <= grid.years["to"]]
        if not years:
            raise _fail(grid.source, f"years: {grid.years['from']}–{grid.years['to']} holds no year of the panel "
                                     f"{grid.panel} (years {span})")
    elif grid.years:
        outside = [y for y in grid.years if y not in known_years]
        if outside:
            raise _fail(grid.source, f"years: {outside[0]} is outside the panel {grid.panel} (years {span})")
        years = list(grid.years)
    else:
        years = known_years
    rows = panel[["committee", "year"]].drop_duplicates()
    if grid.committees:
        rows = rows[rows["committee"].isin(grid.committees)]
    rows = rows[rows["year"].isin(years)]
    rows = rows.sort_values(["year", "committee"])
    slugs: dict[str, str] = {}
    for committee in rows["committee"].unique():
        other = slugs.setdefault(paths.committee_slug(committee), committee)
        if other != committee:
            raise _fail(grid.source, f"committees {other!r} and {committee!r} share the run folder name "
                                     f"{paths.committee_slug(committee)!r}")
    common = {"panel_path": str(grid.panel), "facts_path": str(grid.facts)}
    jobs = []
    for spec in grid.notebooks:
        if spec.per == "committee":
            for committee, year in rows.itertuples(index=False):
                params = {"committee": committee, "year": int(year), **common, **spec.options}
                jobs.append(Job(spec.name, spec.path, committee, int(year), params,
                                paths.run_dir(int(year), committee, spec.name)))
        else:
            for year in sorted(rows["year"].unique()):
                params = {"year": int(year), **common, **spec.options}
                jobs.append(Job(spec.name, spec.path, None, int(year), params, paths.run_dir(int(year), None, spec.name)))
    owners: dict[Path, Job] = {}
    for job in jobs:
        other = owners.setdefault(job.run_dir, job)
        if other is not job:  # e.g. a committee whose slug ends in "--<notebook>"
            raise _fail(grid.source, f"{other.label} and {job.label} share the run folder {job.run_dir}")
    return jobs
