"""Helpers that turn short fact tuples (or the shared gold files) into full facts frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cppcc_study.schemas import FACT_COLUMNS

GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "gold"
PROVINCE = {"全国": None, "四川省": "四川省", "广州市": "广东省", "江门市": "广东省", "江海区": "广东省",
            "深圳市": "广东省", "河北省": "河北省", "沧州市": "河北省", "重庆市": "重庆市", "浙江省": "浙江省",
            "厦门市": "福建省", "平阴县": "山东省", "青岛市": "山东省", "随州市": "湖北省", "广水市": "湖北省",
            "东城区": "北京市", "黔东南苗族侗族自治州": "贵州省"}


def make_facts(rows: list[dict]) -> pd.DataFrame:
    """Facts with the provenance columns filled in; each row needs at least committee, year,
    indicator and value. Evidence defaults to a made-up phrase holding the value."""
    out = []
    for n, row in enumerate(rows):
        value = float(row["value"])
        unit = "percent" if row["indicator"].endswith("rate") else "count"
        shown = f"{value:g}"
        evidence = row.get("evidence", f"数字{shown}{'%' if unit == 'percent' else '件'}")
        fact = {
            "doc_id": row.get("doc_id", "doc1"),
            "committee": row["committee"],
            "level": row.get("level", "prefecture"),
            "year": int(row["year"]),
            "period_start": int(row.get("period_start", row["year"])),
            "indicator": row["indicator"],
            "value": value,
            "qualifier": row.get("qualifier", "exact"),
            "evidence": evidence,
            "province": row.get("province", PROVINCE.get(row["committee"], "广东省")),
            "unit": unit,
            "sentence": evidence,
            "start": int(row.get("start", 10 * n)),
            "end": int(row.get("start", 10 * n)) + len(evidence),
            "doc_sha256": "0" * 64,
            "source": row.get("source", "extracted"),
            "extractor_version": "test",
        }
        out.append(fact)
    df = pd.DataFrame(out, columns=FACT_COLUMNS)
    return df.sort_values(["doc_id", "start", "indicator"], kind="stable").reset_index(drop=True)


def gold_facts() -> pd.DataFrame | None:
    """All shared gold facts as a full facts frame, or None when ../shared is absent."""
    files = sorted(GOLD_DIR.glob("*.csv")) if GOLD_DIR.is_dir() else []
    if not files:
        return None
    gold = pd.concat([pd.read_csv(f, dtype={"doc_id": str}) for f in files], ignore_index=True)
    rows = []
    for n, r in enumerate(gold.to_dict("records")):
        rows.append({**r, "start": n, "province": PROVINCE.get(r["committee"])})
    return make_facts(rows)
