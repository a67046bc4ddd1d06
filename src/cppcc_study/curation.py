"""Curation: a researcher's overrides (drop, correct, add), applied after extraction.

The file format is documented in ``docs/curation.md``. Every applied row, and every
row that matched nothing, becomes a line of the run's log; raw documents are never
touched. A malformed file is an InputError naming the file and the row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from .codebook import Codebook
from .errors import InputError
from .paths import curation_file

ACTIONS = ("drop", "correct", "add")
CORRECTABLE = ("committee", "level", "year", "period_start", "indicator", "value", "qualifier")
RATE_TOLERANCE = 0.05


def default_curation_file() -> Path | None:
    """``data/curation/overrides.csv`` of the project, when it exists."""
    path = curation_file()
    return path if path.is_file() else None


def read_overrides(path: Path, codebook: Codebook) -> list[dict[str, str]]:
    """Rows of an overrides file, checked; raises InputError naming the file and row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, f"cannot read curation file: {exc}") from exc
    for n, row in enumerate(rows, 2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        rows[n - 2] = row
        action = row.get("action", "")
        where = f"row {n}"
        if action not in ACTIONS:
            raise InputError(path, f"{where}: action must be one of {', '.join(ACTIONS)}, not {action!r}")
        if not row.get("reason"):
            raise InputError(path, f"{where}: every override needs a reason")
        if row.get("indicator") and row["indicator"] not in codebook:
            raise InputError(path, f"{where}: unknown indicator {row['indicator']!r}")
        if action == "correct" and row.get("field") not in CORRECTABLE:
            raise InputError(path, f"{where}: field must be one of {', '.join(CORRECTABLE)}")
        if action == "add":
            missing = [k for k in ("doc_id", "committee", "level", "year", "indicator", "value", "evidence")
                       if not row.get(k)]
            if missing:
                raise InputError(path, f"{where}: an added fact needs {', '.join(missing)}")
        for key in ("year", "period_start", "value"):
            if row.get(key):
                try:
                    float(row[key])
                except ValueError as exc:
                    raise InputError(path, f"{where}: {key} is not a number: {row[key]!r}") from exc
    return rows


def _matches(facts: pd.DataFrame, row: dict[str, str]) -> pd.Series:
    mask = pd.Series(True, index=facts.index)
    for key in ("doc_id", "committee", "indicator"):
        if row.get(key):
            mask &= facts[key] == row[key]
    if row.get("year"):
        mask &= facts["year"] == int(float(row["year"]))
    if row.get("value"):
        tol = RATE_TOLERANCE if row.get("indicator", "").endswith("rate") else 1e-9
        mask &= (facts["value"] - float(row["value"])).abs() <= tol
    return mask


def apply_curation(facts: pd.DataFrame, path: Path, codebook: Codebook) -> tuple[pd.DataFrame, list[str]]:
    """Apply the overrides in ``path`` to ``facts``; return the new facts and one log line per row."""
    rows = read_overrides(path, codebook)
    facts = facts.copy()
    log: list[str] = []
    for n, row in enumerate(rows, 2):
        label = f"curation {path.name} row {n} ({row['action']} {row.get('doc_id', '')} {row.get('indicator', '')})"
        if row["action"] == "add":
            ind = codebook[row["indicator"]]
            new = {
                "doc_id": row["doc_id"], "committee": row["committee"], "level": row["level"],
                "year": int(float(row["year"])),
                "period_start": int(float(row.get("period_start") or row["year"])),
                "indicator": row["indicator"], "value": float(row["value"]),
                "qualifier": row.get("qualifier") or "exact", "evidence": row["evidence"],
                "province": row.get("province", ""), "unit": ind.unit, "sentence": row["evidence"],
                "start": 0, "end": len(row["evidence"]), "doc_sha256": row.get("doc_sha256") or "0" * 64,
                "source": "curated", "extractor_version": facts["extractor_version"].iloc[0] if len(facts) else "",
            }
            facts = pd.concat([facts, pd.DataFrame([new])], ignore_index=True)
            log.append(f"{label}: added {row['committee']} {row['year']} = {row['value']} — {row['reason']}")
            continue
        mask = _matches(facts, row)
        if not mask.any():
            log.append(f"{label}: matched no fact (already right?) — {row['reason']}")
            continue
        if row["action"] == "drop":
            facts = facts[~mask].reset_index(drop=True)
            log.append(f"{label}: dropped {int(mask.sum())} fact(s) — {row['reason']}")
        else:
            field, new_value = row["field"], row["new_value"]
            if field in ("year", "period_start"):
                facts.loc[mask, field] = int(float(new_value))
            elif field == "value":
                facts.loc[mask, field] = float(new_value)
            else:
                facts.loc[mask, field] = new_value
            if field == "committee":
                from .committees import gazetteer

                c = gazetteer().lookup(new_value)
                if c is not None:
                    facts.loc[mask, "level"] = c.level
                    facts.loc[mask, "province"] = c.province
            facts.loc[mask, "source"] = "curated"
            log.append(f"{label}: set {field} = {new_value} on {int(mask.sum())} fact(s) — {row['reason']}")
    return facts, log
