"""A throw-away project folder for notebook-grid tests: generated panel and facts, a grid file, notebooks."""

from __future__ import annotations

import shutil
from pathlib import Path

from cppcc_study import synthetic

REPO = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOKS = REPO / "tests" / "fixtures" / "notebooks"

#: A grid of the fast fixture notebooks: echo per committee-year (fails for `fail_for`), broken per year.
FIXTURE_GRID = """\
kernel:
  preload: []
  timeout: 60
notebooks:
  echo:
    path: notebooks/echo.ipynb
    per: committee
    options: {{fail_for: "{fail_for}"}}
{extra}"""

BROKEN = """\
  broken:
    path: notebooks/broken.ipynb
    per: year
"""


def make_project(root: Path, committees: int = 3, years: tuple[int, ...] = (2021, 2022),
                 grid: str | None = None) -> Path:
    """Create ``root`` with data/processed/{panel,facts}.csv, notebooks/ and params/grid.yaml; return it."""
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n", encoding="utf-8")
    shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
    for nb in FIXTURE_NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    synthetic.write_demo_inputs(root / "data" / "processed", committees=committees, years=years)
    text = grid if grid is not None else (REPO / "params" / "grid.yaml").read_text(encoding="utf-8")
    (root / "params" / "grid.yaml").write_text(text, encoding="utf-8")
    return root


def fixture_grid(fail_for: str = "", broken: bool = False) -> str:
    """Grid text running the fixture notebooks."""
    return FIXTURE_GRID.format(fail_for=fail_for, extra=BROKEN if broken else "")
