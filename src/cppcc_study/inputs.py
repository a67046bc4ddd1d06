"""The panel and facts a notebook reads, and hashes of exactly the rows it depends on.

The hashes drive the notebook cache (``runner``): a committee-year notebook depends on
its committee's panel rows up to that year, its facts that year, and its place among
peers of the same level; a year comparison depends on the panel rows up to its year (its
adoption models read them) and the facts of its year. Changing one committee's data
therefore re-runs only that committee's notebooks, the comparisons that include the
changed rows, and peers whose place actually moved.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from . import panel as panel_module
from .errors import InputError


def load_panel(path: str | Path) -> pd.DataFrame:
    """The committee-year panel (``panel.load_panel``), with a hint when it has not been built."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "panel file not found; run `cppcc-study panel` first")
    return panel_module.load_panel(path)


def load_facts(path: str | Path) -> pd.DataFrame:
    """The facts table (``panel.load_facts``), with a hint when it has not been extracted."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "facts file not found; run `cppcc-study extract` first")
    return panel_module.load_facts(path)


def frame_hash(frame: pd.DataFrame) -> str:
    """sha256 of a table's content (columns sorted by name, rows in their given order)."""
    frame = frame.reindex(columns=sorted(frame.columns)).reset_index(drop=True)
    return hashlib.sha256(frame.to_csv(index=False, float_format="%.12g").encode("utf-8")).hexdigest()


def file_hash(path: str | Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    sort = [c for c in ("committee", "year", "doc_id", "start", "indicator") if c in frame.columns]
    return frame[mask].sort_values(sort, kind="stable")


def committee_year_hashes(
    panel: pd.DataFrame, facts: pd.DataFrame, places: pd.DataFrame, committee: str, year: int
) -> dict[str, str]:
    """Input hashes of one committee-year notebook; ``places`` is ``views.peer_places(panel, year)``."""
    own = _rows(panel, (panel["committee"] == committee) & (panel["year"] <= year))
    own_facts = _rows(facts, (facts["committee"] == committee) & (facts["year"] == year))
    place = places[places["committee"] == committee].sort_values("key")
    return {
        "panel_rows": frame_hash(own),
        "facts_rows": frame_hash(own_facts),
        "peer_places": frame_hash(place),
    }


def comparison_hashes(panel: pd.DataFrame, facts: pd.DataFrame, year: int) -> dict[str, str]:
    """Input hashes of one year-comparison notebook (its models read the panel up to that year)."""
    return {
        "panel_rows": frame_hash(_rows(panel, panel["year"] <= year)),
        "facts_rows": frame_hash(_rows(facts, facts["year"] == year)),
    }


def combined_hash(parts: dict) -> str:
    """sha256 of a JSON-serialisable mapping, keys sorted."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
