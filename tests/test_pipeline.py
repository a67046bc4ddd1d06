"""``pipeline.build``: the stages in order, failures collected, reports listed, manifest written.

The unit tests replace the four stages with fakes (tests/pipeline_fakes.py); the slow
tests at the end run the real stages on the demo corpus.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest

from cppcc_study import cli
from cppcc_study.pipeline import build


def test_stages_run_in_order_for_every_year_and_language(project, calls):
    outcome = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"])
    assert calls.order == ["extract", "panel", "run",
                           "report 2021 zh", "report 2021 en", "report 2022 zh", "report 2022 en",
                           "report 2023 zh", "report 2023 en"]
    assert outcome.ok and not outcome.failures
    assert outcome.years == (2021, 2022, 2023)
    assert [s.status for s in outcome.stages] == ["ok"] * 4
    assert len(outcome.reports) == 6 and all(p.is_file() for p in outcome.reports)


def test_describe_says_where_the_reports_are(project, calls):
    text = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"]).describe()
    assert str(project / "reports" / "2022") in text
    assert "manifest:" in text


def test_failed_inputs_are_collected_and_the_rest_goes_on(project, calls):
    (project / "data" / "raw" / "demo" / "broken_page.txt").write_text("x", encoding="utf-8")
    calls.fail |= {"run 2022", "report 2023"}
    outcome = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"])
    items = {(f.stage, f.item) for f in outcome.failures}
    assert ("extract", str(project / "data" / "raw" / "demo" / "broken_page.txt")) in items
    assert any(f.stage == "run" and "ValueError" in f.problem for f in outcome.failures)
    assert ("report", "2023 (zh)") in items and ("report", "2023 (en)") in items
    assert len(outcome.reports) == 4  # 2021 and 2022, both languages
    assert [s.status for s in outcome.stages] == ["partial", "ok", "partial", "partial"]


def test_a_stage_failing_as_a_whole_skips_the_stages_that_need_it(project, calls):
    calls.fail.add("panel")
    outcome = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"])
    assert calls.order == ["extract", "panel"]
    assert [s.status for s in outcome.stages] == ["ok", "failed", "skipped", "skipped"]
    assert outcome.failures[0].stage == "panel"
    assert outcome.manifest and outcome.manifest.is_file()


def test_build_writes_the_manifest_with_inputs_outputs_and_times(project, calls):
    outcome = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"],
                    argv=["cppcc-study", "build"])
    data = json.loads(outcome.manifest.read_text(encoding="utf-8"))
    assert outcome.manifest == project / "reports" / "build" / "manifest.json"
    assert data["command"] == ["cppcc-study", "build"] and data["corpus"] == "data/raw/demo"
    assert data["started"] <= data["finished"]
    assert "data/raw/demo/demo01_sichuan_2022_proposals.txt" in data["inputs"]
    assert "data/curation/overrides.csv" in data["inputs"] and "params/grid.yaml" in data["inputs"]
    assert "package:cppcc_study/codebook.yaml" in data["inputs"]
    outputs = data["outputs"]
    assert outputs["data/processed/facts.csv"]["kind"] == "data"
    assert outputs["reports/build/2021/comparison/ranking.png"]["kind"] == "figure"
    assert outputs["reports/2021/cppcc-annual-2021.zh.html"]["compare"] == "report"
    assert set(data["stages"]) == {"extract", "panel", "run", "report"}


def test_cli_build_exits_1_when_inputs_failed(project, calls, capsys):
    (project / "data" / "raw" / "demo" / "broken_page.txt").write_text("x", encoding="utf-8")
    assert cli.main(["build", "--to", "html", "-q"]) == 1
    assert "broken_page.txt" in capsys.readouterr().out


def test_cli_build_exits_0_and_takes_another_corpus(project, calls, tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(project / "data" / "raw" / "demo", other)
    assert cli.main(["build", "--corpus", str(other), "--to", "html", "-q"]) == 0
    assert str(other) in capsys.readouterr().out


# ---------------------------------------------------------------- end to end (real stages)

DEMO = Path(__file__).resolve().parents[1] / "data" / "raw" / "demo"
DETERMINISTIC = (".csv", ".parquet", ".png", ".svg", ".json")


def _copy_project(dest: Path) -> Path:
    src = Path(__file__).resolve().parents[1]
    for rel in ("data/raw/demo", "data/curation", "params", "notebooks"):
        if (src / rel).is_dir():
            shutil.copytree(src / rel, dest / rel, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (src / "reports" / "_quarto.yml").is_file():
        (dest / "reports").mkdir(exist_ok=True)
        shutil.copy2(src / "reports" / "_quarto.yml", dest / "reports" / "_quarto.yml")
    return dest


def _deterministic_files(root: Path) -> dict[str, Path]:
    files = {}
    for base in (root / "data" / "processed", root / "reports" / "build"):
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix in DETERMINISTIC and p.name != "manifest.json" and not p.name.startswith("."):
                files[p.relative_to(root).as_posix()] = p
    return files


@pytest.fixture(scope="module")
def two_demo_builds(tmp_path_factory):
    """The demo built twice from the same inputs, in two project copies: (roots, outcomes)."""
    pytest.importorskip("cppcc_study.extract")
    pytest.importorskip("cppcc_study.runner")
    roots, outcomes = [], []
    with pytest.MonkeyPatch.context() as mp:
        for name in ("first", "second"):
            root = _copy_project(tmp_path_factory.mktemp(name))
            mp.setenv("CPPCC_STUDY_ROOT", str(root))
            outcomes.append(build(corpus=None, jobs=2, force=True, progress=False, formats=["html", "pdf"]))
            roots.append(root)
    return roots, outcomes


@pytest.mark.slow
def test_demo_build_end_to_end(two_demo_builds):
    """``make report`` on the demo: every stage succeeds and both report years have reports."""
    roots, outcomes = two_demo_builds
    outcome = outcomes[0]
    assert not outcome.failures, outcome.describe()
    assert set(outcome.years) >= {2022, 2023}
    assert len(outcome.reports) == 4 * len(outcome.years) and all(p.is_file() for p in outcome.reports)
    assert (roots[0] / "reports" / "build" / "manifest.json").is_file()


@pytest.mark.slow
def test_two_builds_of_the_demo_are_byte_identical(two_demo_builds):
    """Same inputs: identical facts, panel, tables, figures and run records; reports identical
    after removing the build stamp; notebooks after removing execution times."""
    from cppcc_study.manifest import comparable_hash, normalise_report_bytes

    trees, _ = two_demo_builds
    first, second = (_deterministic_files(r) for r in trees)
    assert set(first) == set(second)
    assert {"data/processed/facts.csv", "data/processed/panel.csv"} <= set(first)
    differing = [rel for rel in first if not filecmp.cmp(first[rel], second[rel], shallow=False)
                 and not (rel.endswith(".json") and comparable_hash(first[rel], "record", trees[0])
                          == comparable_hash(second[rel], "record", trees[1]))]
    assert not differing, f"not byte-identical: {differing}"
    reports = sorted((trees[0] / "reports").glob("[0-9]*/*.*"))
    assert reports
    for p in reports:
        twin = trees[1] / p.relative_to(trees[0])
        assert normalise_report_bytes(p) == normalise_report_bytes(twin), p.name
    notebooks = sorted((trees[0] / "reports" / "build").rglob("*.ipynb"))
    for p in notebooks:
        twin = trees[1] / p.relative_to(trees[0])
        assert comparable_hash(p, "notebook", trees[0]) == comparable_hash(twin, "notebook", trees[1]), p
