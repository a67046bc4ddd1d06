"""Facts → panel: conflict rule, term summaries, schemas at both boundaries, files."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cppcc_study import cli
from cppcc_study.codebook import load_codebook
from cppcc_study.errors import InputError, SchemaError
from cppcc_study.panel import (
    build_panel,
    build_panel_to_file,
    evidence_for,
    load_facts,
    load_panel,
    load_periods,
    panel_columns,
    panel_schema,
    region_of,
)
from cppcc_study.schemas import validate
from panel_fixtures import gold_facts, make_facts


def _cell(tables, committee, year, column):
    panel = tables.panel
    row = panel[(panel["committee"] == committee) & (panel["year"] == year)]
    assert len(row) == 1
    return row.iloc[0][column]


def test_one_row_per_committee_year_with_every_codebook_column():
    facts = make_facts(
        [
            {"committee": "甲市", "year": 2021, "indicator": "proposals.filed", "value": 200},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 220},
            {"committee": "甲市", "year": 2022, "indicator": "members", "value": 400, "start": 900},
            {"committee": "乙县", "year": 2022, "indicator": "proposals.received", "value": 90, "level": "county"},
        ]
    )
    tables = build_panel(facts)
    panel = tables.panel
    assert list(panel.columns) == panel_columns()
    assert len(panel) == 3
    for key in load_codebook().keys:
        assert {key, f"{key}__qualifier", f"{key}__n_sources", f"{key}__change"} <= set(panel.columns)
    assert _cell(tables, "甲市", 2022, "members") == 400
    assert _cell(tables, "甲市", 2022, "proposals.filed__change") == 20
    assert _cell(tables, "甲市", 2022, "members__n_sources") == 1
    assert _cell(tables, "乙县", 2022, "members__n_sources") == 0
    assert pd.isna(_cell(tables, "乙县", 2022, "members__qualifier"))
    assert _cell(tables, "乙县", 2022, "level") == "county"
    assert tables.conflicts.empty


def test_sichuan_reconciliation_in_the_panel():
    rows = [("proposals.received", 1194), ("proposals.filed", 1006), ("proposals.handled", 994),
            ("proposals.adopted", 917), ("proposals.adoption_rate", 92.3)]
    facts = make_facts([{"committee": "四川省", "level": "provincial", "year": 2022, "indicator": k,
                         "value": v, "start": 10 * i} for i, (k, v) in enumerate(rows)])
    tables = build_panel(facts)
    assert _cell(tables, "四川省", 2022, "region") == "西部"
    assert _cell(tables, "四川省", 2022, "proposals.adoption_rate__denominator") == "handled"
    assert not _cell(tables, "四川省", 2022, "proposals.adoption_rate__mismatch")
    assert _cell(tables, "四川省", 2022, "rate.adoption_filed") == pytest.approx(100 * 917 / 1006)
    assert _cell(tables, "四川省", 2022, "rate.adoption_handled__n") == 994


def _two(a: dict, b: dict, **common) -> pd.DataFrame:
    base = {"committee": "甲市", "year": 2022, "indicator": "proposals.filed"} | common
    return make_facts([base | a, base | b])


@pytest.mark.parametrize(
    ("a", "b", "kept", "rule"),
    [
        # exact beats qualified, whatever the order
        ({"value": 300, "qualifier": "at_least", "start": 1}, {"value": 310, "start": 2}, 310, "exact beats qualified"),
        # longer evidence wins between two exact facts
        ({"value": 300, "evidence": "立案300件"}, {"value": 310, "evidence": "经审查共立案310件", "start": 50},
         310, "longer evidence"),
        # a tie keeps the first in document order
        ({"value": 300, "evidence": "立案300件"}, {"value": 310, "evidence": "立案310件", "start": 50},
         300, "first by document order"),
        # a curated fact beats an extracted one
        ({"value": 300, "evidence": "经审查共立案300件"}, {"value": 310, "source": "curated", "start": 50},
         310, "curated beats extracted"),
    ],
)
def test_conflict_rule(a, b, kept, rule):
    tables = build_panel(_two(a, b))
    assert _cell(tables, "甲市", 2022, "proposals.filed") == kept
    conflicts = tables.conflicts
    assert len(conflicts) == 2
    assert set(conflicts["decided_by"]) == {rule}
    assert conflicts.loc[conflicts["chosen"], "value"].item() == kept
    assert _cell(tables, "甲市", 2022, "proposals.filed__n_sources") == 1


def test_document_about_that_year_wins():
    # doc "a" is about 2021 (most of its facts), doc "b" about 2022; both state 2022's filed count.
    facts = make_facts(
        [
            {"doc_id": "a", "committee": "甲市", "year": 2021, "indicator": "proposals.received", "value": 1, "start": 0},
            {"doc_id": "a", "committee": "甲市", "year": 2021, "indicator": "members", "value": 2, "start": 10},
            {"doc_id": "a", "committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 300,
             "evidence": "今年以来立案三百件，相关数字为300件", "start": 20},
            {"doc_id": "b", "committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 310, "start": 0},
        ]
    )
    tables = build_panel(facts)
    assert _cell(tables, "甲市", 2022, "proposals.filed") == 310
    assert set(tables.conflicts["decided_by"]) == {"document about that year"}


def test_agreeing_facts_count_as_sources_not_conflicts():
    facts = _two({"doc_id": "a", "value": 300, "qualifier": "about"}, {"doc_id": "b", "value": 300})
    tables = build_panel(facts)
    assert tables.conflicts.empty
    assert _cell(tables, "甲市", 2022, "proposals.filed__n_sources") == 2
    assert _cell(tables, "甲市", 2022, "proposals.filed__qualifier") == "exact"


def test_rates_within_tolerance_agree():
    facts = _two({"doc_id": "a", "value": 92.3}, {"doc_id": "b", "value": 92.31}, indicator="proposals.adoption_rate")
    tables = build_panel(facts)
    assert tables.conflicts.empty
    assert _cell(tables, "甲市", 2022, "proposals.adoption_rate__n_sources") == 2


def test_term_summaries_go_to_the_periods_table():
    facts = make_facts(
        [
            {"committee": "乙省", "level": "provincial", "province": "河北省", "year": 2012, "period_start": 2008,
             "indicator": "proposals.filed", "value": 2712},
            {"committee": "乙省", "level": "provincial", "province": "河北省", "year": 2012, "period_start": 2008,
             "indicator": "proposals.adopted", "value": 1675, "start": 40},
            {"committee": "乙省", "level": "provincial", "province": "河北省", "year": 2012,
             "indicator": "proposals.filed", "value": 600, "start": 80},
        ]
    )
    tables = build_panel(facts)
    assert _cell(tables, "乙省", 2012, "proposals.filed") == 600
    assert pd.isna(_cell(tables, "乙省", 2012, "proposals.adopted"))
    assert tables.conflicts.empty  # a term figure does not conflict with an annual one
    periods = tables.periods
    assert list(periods.columns) == panel_columns(periods=True)
    row = periods.iloc[0]
    assert (row["period_start"], row["year"], row["proposals.filed"]) == (2008, 2012, 2712)
    assert row["rate.adoption_filed"] == pytest.approx(100 * 1675 / 2712)
    assert row["region"] == "东部"


def test_facts_boundary_rejects_bad_facts():
    facts = make_facts([{"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 1}])
    with pytest.raises(SchemaError, match="facts"):
        build_panel(facts.assign(level="city"))
    with pytest.raises(SchemaError, match="facts"):
        build_panel(facts.assign(indicator="proposals.unknown"))
    with pytest.raises(SchemaError, match="facts"):
        build_panel(facts.assign(period_start=2023))


def test_panel_boundary_rejects_bad_panels():
    facts = make_facts(
        [
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 100},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.adopted", "value": 80, "start": 30},
        ]
    )
    panel = build_panel(facts).panel
    schema = panel_schema()
    schema.validate(panel)
    bad_rate = panel.assign(**{"rate.adoption_filed__hi": 70.0})
    duplicated = pd.concat([panel, panel], ignore_index=True)
    orphan = panel.assign(**{"members__n_sources": 1})
    for bad in (bad_rate, duplicated, orphan, panel.drop(columns="members")):
        with pytest.raises(SchemaError, match="panel does not satisfy"):
            validate(bad, schema, "panel")


def test_files_and_round_trip(tmp_path):
    facts = make_facts(
        [
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 100},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 101, "start": 30},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.adoption_rate", "value": 80, "start": 60},
            {"committee": "甲市", "year": 2019, "period_start": 2017, "indicator": "members", "value": 5, "start": 90},
        ]
    )
    facts_csv = tmp_path / "in" / "facts.csv"
    facts_csv.parent.mkdir()
    facts.to_csv(facts_csv, index=False)
    out = tmp_path / "out" / "panel.csv"
    result = build_panel_to_file(facts_csv, out, to_stata=True)
    names = {p.name for p in result.written}
    assert {"panel.csv", "panel.parquet", "periods.csv", "periods.parquet", "conflicts.csv",
            "codebook.md", "codebook.csv", "panel.dta", "periods.dta"} <= names
    assert result.conflicts_path == out.parent / "conflicts.csv"
    assert len(pd.read_csv(result.conflicts_path)) == 2
    assert not list(out.parent.glob(".*"))  # no temporary files left behind
    pd.testing.assert_frame_equal(load_panel(out.with_suffix(".parquet")), result.panel)
    pd.testing.assert_frame_equal(load_panel(out), result.panel, check_dtype=False)
    assert load_periods(out.parent / "periods.csv")["members"].item() == 5
    codebook_csv = pd.read_csv(out.parent / "codebook.csv")
    assert set(load_codebook().keys) <= set(codebook_csv["key"])
    own = tmp_path / "elsewhere.csv"
    assert build_panel_to_file(facts_csv, out, conflicts=own).conflicts_path == own
    assert own.is_file()


def test_load_facts_errors(tmp_path):
    with pytest.raises(InputError, match="extract"):
        load_facts(tmp_path / "missing.csv")
    (tmp_path / "f.csv").write_text("doc_id,committee\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks columns"):
        load_facts(tmp_path / "f.csv")


def test_evidence_for_lists_the_kept_fact_first():
    facts = _two({"value": 300, "qualifier": "about", "start": 1}, {"value": 310, "start": 2})
    ev = evidence_for(facts, "甲市", 2022, "proposals.filed")
    assert ev["value"].tolist() == [310, 300]
    assert ev["kept"].tolist() == [True, False]
    assert evidence_for(facts, "甲市", 2021, "proposals.filed").empty


def test_region_mapping():
    assert region_of("广东省") == "东部"
    assert region_of("湖北省") == "中部"
    assert region_of("黑龙江省") == "东北"
    assert region_of("新疆维吾尔自治区") == "西部"
    assert region_of(None, "national") == "全国"
    assert region_of("火星省") is None


def test_gold_facts_build_a_panel():
    facts = gold_facts()
    if facts is None:
        pytest.skip("shared gold facts (../shared/eval/gold) not available")
    tables = build_panel(facts)
    panel, periods = tables.panel, tables.periods
    assert not panel.duplicated(["committee", "year"]).any()
    # 四川省 2022 states 92.3% of handled proposals (917/994).
    assert _cell(tables, "四川省", 2022, "proposals.adoption_rate__denominator") == "handled"
    # 随州市 2022 lists two key-proposal counts (14 and 9): a listed conflict, the first kept.
    sz = tables.conflicts[tables.conflicts["committee"] == "随州市"]
    assert sorted(sz["value"]) == [9, 14] and sz.loc[sz["chosen"], "value"].item() == 14
    # 重庆市 states both a 2013–2017 term summary and 2017 figures: kept apart.
    assert _cell(tables, "重庆市", 2017, "proposals.filed") == 897
    cq = periods[(periods["committee"] == "重庆市") & (periods["period_start"] == 2013)]
    assert cq["proposals.filed"].item() == 5952
    # 江门市 filed 227 (2022) then 252 (2023).
    assert _cell(tables, "江门市", 2023, "proposals.filed__change") == 25
    assert math.isnan(_cell(tables, "江门市", 2022, "proposals.filed__change"))


def test_cli_panel_command(tmp_path, capsys):
    facts = _two({"value": 300, "start": 1}, {"value": 310, "start": 2})
    facts.to_csv(tmp_path / "facts.csv", index=False)
    code = cli.main(["panel", str(tmp_path / "facts.csv"), "-o", str(tmp_path / "panel.csv"), "--to-stata"])
    assert code == 0
    # two facts disagree about one figure: one conflicting figure (both facts are in conflicts.csv)
    assert "1 committee-years, 1 conflicting figure →" in capsys.readouterr().out
    assert (tmp_path / "panel.dta").is_file()
