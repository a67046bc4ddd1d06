"""A small generated facts table and panel that follow the design contracts.

Used by the notebook tests and the grid benchmark, so they do not depend on the demo
corpus or on extraction. Values are drawn from a seeded generator (no global state).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from .schemas import FACT_COLUMNS

#: (committee, level, province) of the generated committees, prefecture level first.
COMMITTEES = (
    ("广州市", "prefecture", "广东省"),
    ("深圳市", "prefecture", "广东省"),
    ("杭州市", "prefecture", "浙江省"),
    ("成都市", "prefecture", "四川省"),
    ("南京市", "prefecture", "江苏省"),
    ("武汉市", "prefecture", "湖北省"),
    ("广东省", "provincial", "广东省"),
    ("浙江省", "provincial", "浙江省"),
    ("四川省", "provincial", "四川省"),
    ("江苏省", "provincial", "江苏省"),
)


_SENTENCES = {
    "proposals.received": "本年度共收到提案{v}件。",
    "proposals.filed": "经审查立案{v}件。",
    "proposals.handled": "截至目前已办结{v}件。",
    "proposals.adopted": "所提意见建议被采纳或部分采纳的{v}件。",
    "proposals.key": "确定重点提案{v}件，由领导督办。",
    "proposals.handling_units": "交{v}家承办单位办理。",
    "opinion.collected": "收集社情民意信息{v}条。",
    "opinion.reported": "编辑报送社情民意信息{v}篇。",
    "opinion.adopted": "被全国政协采用{v}篇。",
    "instructions": "获得党政领导批示{v}次。",
    "members": "全市共有政协委员{v}名。",
}


def generate_facts(
    committees: int = 6, years: tuple[int, ...] = (2020, 2021, 2022), seed: int = 7
) -> pd.DataFrame:
    """Facts (``schemas.FACT_COLUMNS``) for the first ``committees`` generated committees."""
    rng = np.random.default_rng(seed)
    rows = []
    for committee, level, province in COMMITTEES[:committees]:
        for year in years:
            received = int(rng.integers(300, 900))
            filed = int(received * rng.uniform(0.6, 0.95))
            handled = int(filed * rng.uniform(0.85, 1.0))
            values = {
                "proposals.received": received,
                "proposals.filed": filed,
                "proposals.handled": handled,
                "proposals.adopted": int(handled * rng.uniform(0.3, 0.8)),
                "proposals.key": int(rng.integers(5, 30)),
                "proposals.handling_units": int(rng.integers(40, 120)),
                "opinion.collected": int(rng.integers(200, 2000)),
                "opinion.reported": int(rng.integers(50, 300)),
                "opinion.adopted": int(rng.integers(5, 60)),
                "instructions": int(rng.integers(10, 200)),
                "members": int(rng.integers(300, 700)),
            }
            doc_id = f"{committee}-{year}"
            text = "".join(_SENTENCES[k].format(v=v) for k, v in values.items())
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            offset = 0
            for key, value in values.items():
                sentence = _SENTENCES[key].format(v=value)
                evidence = sentence.rstrip("。")
                rows.append(
                    {
                        "doc_id": doc_id,
                        "committee": committee,
                        "level": level,
                        "year": year,
                        "period_start": year,
                        "indicator": key,
                        "value": float(value),
                        "qualifier": "exact",
                        "evidence": evidence,
                        "province": "" if level == "national" else province,
                        "unit": "count",
                        "sentence": sentence,
                        "start": offset,
                        "end": offset + len(evidence),
                        "doc_sha256": sha,
                        "source": "extracted",
                        "extractor_version": "synthetic",
                    }
                )
                offset += len(sentence)
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def build_panel(facts: pd.DataFrame) -> pd.DataFrame:
    """The panel of ``facts``, built by the package's own ``panel.build_panel``."""
    from .panel import build_panel as _build

    return _build(facts).panel


def write_demo_inputs(folder: str | Path, committees: int = 6, years: tuple[int, ...] = (2020, 2021, 2022),
                      seed: int = 7) -> tuple[Path, Path]:
    """Write ``facts.csv`` and ``panel.csv`` into ``folder``; return their paths (facts, panel)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    facts = generate_facts(committees, years, seed)
    facts_path, panel_path = folder / "facts.csv", folder / "panel.csv"
    facts.to_csv(facts_path, index=False)
    build_panel(facts).to_csv(panel_path, index=False)
    return facts_path, panel_path
