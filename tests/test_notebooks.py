"""The committed notebooks: parameters contract, no outputs, and a full execution on a small generated panel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from PIL import Image

from cppcc_study import notebook_api, runner
from cppcc_study.errors import ParameterError
from notebook_project import REPO, make_project

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PARAMETER_LINE = re.compile(r"^\w+: (str|int|float|bool) = .+  # \S.*$")


def test_there_are_the_two_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["committee_year.ipynb", "year_comparison.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_first_typed_and_commented_then_validated(path):
    nb = nbformat.read(path, as_version=4)
    first, second = nb.cells[0], nb.cells[1]
    assert first.metadata.get("tags") == ["parameters"]
    for line in first.source.splitlines():
        assert PARAMETER_LINE.match(line), f"{path.name}: parameter line {line!r} needs a type and a comment"
    assert "notebook_api.start(" in second.source


# --------------------------------------------------------------------------- parameter checks


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("params"), committees=3, years=(2021, 2022))


def _start(data, **kw):
    base = {"panel_path": str(data / "data/processed/panel.csv"), "facts_path": str(data / "data/processed/facts.csv"),
            "output_dir": str(data / "out")}
    return notebook_api.start(**{**base, **kw})


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"committee": "某某市", "year": 2022}, "committee='某某市': not in the panel"),
        ({"committee": "广州市", "year": 1999}, "year=1999: not in the panel"),
        ({"committee": "广州市", "year": "2022"}, "year='2022': expected int"),
        ({"committee": "", "year": 2022}, "give a committee name"),
        ({"committee": "广州市", "year": 2022, "lang": "fr"}, "lang='fr'"),
        ({"committee": "广州市", "year": 2022, "dpi": 72}, "at least 200 dpi"),
        ({"committee": "广州市", "year": 2022, "rate": "rate.nope"}, "rate='rate.nope'"),
    ],
)
def test_bad_parameters_get_a_clear_message(data, kwargs, problem):
    with pytest.raises(ParameterError, match=re.escape(problem)):
        _start(data, notebook="committee_year", **kwargs)


def test_comparison_takes_no_committee(data):
    with pytest.raises(ParameterError, match="takes no committee"):
        _start(data, notebook="year_comparison", committee="广州市", year=2022)


def test_another_notebook_runs_per_committee_or_per_year_in_its_own_folder(data, monkeypatch):
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(data))
    run = _start(data, notebook="handling_classes", committee="广州市", year=2022, output_dir="")
    assert run.output_dir == data / "reports/build/2022/guang-zhou-shi--handling_classes"
    assert set(run.input_hashes()) == {"panel_rows", "facts_rows", "peer_places"}
    yearly = _start(data, notebook="handling_classes", year=2022, output_dir="")
    assert yearly.committee is None and yearly.output_dir == data / "reports/build/2022/comparison--handling_classes"
    assert set(yearly.input_hashes()) == {"panel_rows", "facts_rows"}


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"notebook": "handling_classes", "committee": ""}, "give a committee name as in the panel, or None"),
        ({"notebook": "handling_classes", "committee": "某某市"}, "committee='某某市': not in the panel"),
        ({"notebook": "committee_year", "committee": None}, "committee=None: give a committee name"),
        ({"notebook": "../handling", "committee": "广州市"}, "give the notebook's name in params/grid.yaml"),
    ],
)
def test_notebook_name_and_committee_are_checked(data, kwargs, problem):
    with pytest.raises(ParameterError, match=re.escape(problem)):
        _start(data, year=2022, **kwargs)


# --------------------------------------------------------------------------- execution


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("grid"), committees=3, years=(2021, 2022))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CPPCC_STUDY_ROOT", str(root))
        summary = runner.run_grid(jobs=2, progress=False)
    return summary


def _outputs(result) -> dict:
    return json.loads((result.run_dir / "outputs.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_notebook_runs_on_the_small_panel(executed):
    assert not executed.failures, executed.describe()
    assert len(executed.results) == 3 * 2 + 2


@pytest.mark.slow
def test_outputs_follow_the_contract(executed):
    for result in executed.results:
        record = _outputs(result)
        assert record["status"] == "ok" and record["notebook"] == result.notebook
        assert record["year"] == result.year and record["committee"] == result.committee
        stamp = json.loads((result.run_dir / runner.CACHE_FILE).read_text(encoding="utf-8"))
        assert record["input_hashes"] == stamp["input_hashes"]  # the notebook and the runner agree
        assert record["figures"] and record["tables"]
        for figure in record["figures"]:
            assert figure["caption_zh"] and figure["caption_en"]
            png = result.run_dir / figure["png"]
            with Image.open(png) as image:
                assert min(image.info["dpi"]) >= 199.5
            svg = (result.run_dir / figure["svg"]).read_text(encoding="utf-8")
            assert "<dc:date>" not in svg
        for table in record["tables"]:
            assert pd.read_csv(result.run_dir / table["csv"]) is not None


@pytest.mark.slow
def test_committee_year_shows_evidence_change_and_place(executed):
    result = next(r for r in executed.results if r.committee == "广州市" and r.year == 2022)
    indicators = pd.read_csv(result.run_dir / "indicators.csv")
    assert indicators["evidence"].notna().all()  # an evidence sentence behind every number
    for row in indicators.itertuples():
        assert f"{row.value:g}" in row.evidence
    assert indicators["change"].notna().all()  # 2022 has a previous year
    assert ((indicators["rank"] >= 1) & (indicators["rank"] <= indicators["n_peers"])).all()
    rates = pd.read_csv(result.run_dir / "rates.csv")
    assert ((rates["lo"] <= rates["value"]) & (rates["value"] <= rates["hi"])).all()
    assert rates["evidence"].str.len().gt(0).all()
    nb = nbformat.read(result.executed, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["committee"] == "广州市"
    assert nb.metadata["cppcc_study"]["input_hashes"] == _outputs(result)["input_hashes"]


@pytest.mark.slow
def test_year_comparison_ranks_with_intervals_and_models(executed):
    result = next(r for r in executed.results if r.notebook == "year_comparison" and r.year == 2022)
    rankings = pd.read_csv(result.run_dir / "rankings.csv")
    assert ((rankings["rank_lo"] <= rankings["rank"]) & (rankings["rank"] <= rankings["rank_hi"])).all()
    assert set(pd.read_csv(result.run_dir / "committees.csv")["committee"]) == {"广州市", "深圳市", "杭州市"}
    models = pd.read_csv(result.run_dir / "models.csv")
    assert set(models["model"]) == {"glm", "shrinkage", "trend"}


@pytest.mark.slow
def test_notebooks_run_on_the_demo_corpus(tmp_path, monkeypatch):
    """The demo panel has gaps (no funnel at all for 深圳市 2023, rates without a denominator)."""
    corpus = REPO / "data" / "raw" / "demo"
    if not corpus.is_dir():
        pytest.skip("no demo corpus in this checkout")
    from cppcc_study.extract import extract_corpus_to_file
    from cppcc_study.panel import build_panel_to_file

    grid = (REPO / "params" / "grid.yaml").read_text(encoding="utf-8")
    grid = grid.replace("\ncommittees: all", "\ncommittees: [广州市, 深圳市]").replace("\nyears: all", "\nyears: [2023]")
    root = make_project(tmp_path / "demo", committees=1, years=(2022,), grid=grid)
    processed = root / "data" / "processed"
    extract_corpus_to_file(corpus, processed / "facts.csv", use_curation=False)
    build_panel_to_file(processed / "facts.csv", processed / "panel.csv")
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(root))
    summary = runner.run_grid(jobs=2, progress=False)
    assert not summary.failures, summary.describe()
    assert {(r.notebook, r.committee) for r in summary.results} == {
        ("committee_year", "广州市"), ("committee_year", "深圳市"), ("year_comparison", None)}
