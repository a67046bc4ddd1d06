"""Exports: Stata names and labels, the data dictionary, every format from the project folders."""

from __future__ import annotations

import re

import pandas as pd
import pyreadstat
import pytest

from cppcc_study.codebook import load_codebook
from cppcc_study.errors import InputError
from cppcc_study.export import (
    data_dictionary,
    export,
    stata_name,
    stata_names,
    variable_label,
    write_stata,
)
from cppcc_study.panel import build_panel, build_panel_to_file, panel_columns
from panel_fixtures import make_facts


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("proposals.adoption_rate__mismatch", "p_adoption_rate_mis"),
        ("proposals.handling_units__n_sources", "p_handling_units_ns"),
        ("opinion.collected__qualifier", "o_collected_q"),
        ("rate.adoption_handled__lo", "r_adoption_handled_lo"),
        ("rate.filing__n", "r_filing_n"),
        ("members__change", "members_chg"),
        ("instructions", "instructions"),
        ("period_start", "period_start"),
        ("end", "end_"),  # a Stata reserved word
    ],
)
def test_stata_name_rule(column, expected):
    assert stata_name(column) == expected


def test_every_panel_column_has_a_distinct_valid_stata_name():
    for periods in (False, True):
        names = stata_names(panel_columns(periods=periods))
        assert len(set(names.values())) == len(names)
        for name in names.values():
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", name), name


def test_labels_are_short_and_bilingual():
    for column in panel_columns():
        label = variable_label(column)
        assert 0 < len(label) <= 80
    assert variable_label("proposals.adopted") == "采纳提案 Proposals adopted"
    assert variable_label("rate.filing__lo").startswith("立案率（计算）·95%下限")


def test_data_dictionary_covers_codebook_and_rates():
    table = data_dictionary()
    keys = table["key"].tolist()
    assert keys[: len(load_codebook().keys)] == load_codebook().keys
    assert {"rate.filing", "rate.handling", "rate.adoption_filed", "rate.adoption_handled"} <= set(keys)
    assert table.loc[table["key"] == "rate.filing", "source"].item() == "computed"


def _facts() -> pd.DataFrame:
    return make_facts(
        [
            {"committee": "甲市", "year": 2021, "indicator": "proposals.filed", "value": 200},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 220, "start": 20},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.adopted", "value": 180, "start": 40},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.adoption_rate", "value": 81.8, "start": 60},
            {"committee": "全国", "level": "national", "province": None, "year": 2022,
             "indicator": "proposals.received", "value": 5000, "start": 80},
            {"committee": "乙县", "level": "county", "year": 2020, "period_start": 2017,
             "indicator": "members", "value": 150, "start": 100, "evidence": "委员\x0b" * 150 + "150名"},
        ]
    )


def test_stata_reads_back_with_labels(tmp_path):
    panel = build_panel(_facts()).panel
    dta, mapping = write_stata(panel, tmp_path / "panel.dta")
    data, meta = pyreadstat.read_dta(str(dta))
    names = stata_names(list(panel.columns))
    assert list(data.columns) == list(names.values())
    labels = meta.column_names_to_labels
    assert labels["p_adopted"] == "采纳提案 Proposals adopted"
    assert labels["committee"] == "政协委员会 Committee"
    row = data[(data["committee"] == "甲市") & (data["year"] == 2022)].iloc[0]
    assert row["p_filed"] == 220 and row["p_filed_chg"] == 20
    assert row["p_adoption_rate_mis"] == 0  # 180/220 = 81.82% rounds to 81.8
    assert row["p_adoption_rate_den"] == "filed"
    assert pd.read_csv(mapping)["stata_name"].tolist() == list(names.values())


def _project(tmp_path, monkeypatch):
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(tmp_path))
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    _facts().to_csv(processed / "facts.csv", index=False)
    build_panel_to_file(processed / "facts.csv", processed / "panel.csv")
    return processed


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("csv", {"facts.csv", "panel.csv", "periods.csv"}),
        ("parquet", {"facts.parquet", "panel.parquet", "periods.parquet"}),
        ("stata", {"facts.dta", "panel.dta", "periods.dta", "panel_stata_names.csv"}),
        ("excel", {"cppcc_study.xlsx"}),
    ],
)
def test_export_every_format(tmp_path, monkeypatch, to, expected):
    processed = _project(tmp_path, monkeypatch)
    written = export(to=to, output_dir=None)
    assert all(p.parent == processed / "export" for p in written)
    names = {p.name for p in written}
    assert expected | {"codebook.md", "codebook.csv"} <= names
    if to == "stata":
        facts, meta = pyreadstat.read_dta(str(processed / "export" / "facts.dta"))
        assert len(facts) == 6 and facts["evidence"].str.len().max() > 200  # strL survives
    if to == "excel":
        sheets = pd.read_excel(processed / "export" / "cppcc_study.xlsx", sheet_name=None)
        assert set(sheets) == {"facts", "panel", "periods", "codebook"}
        assert len(sheets["panel"]) == 3


def test_export_without_a_panel_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(tmp_path))
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    _facts().to_csv(processed / "facts.csv", index=False)
    with pytest.raises(InputError, match="cppcc-study panel"):
        export(to="csv", output_dir=tmp_path / "out")
