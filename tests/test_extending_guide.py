"""docs/extending.md, step by step: every block marked ``guide:`` is applied to a temporary
copy of the project and must work, so the students' guide cannot rot."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from cppcc_study import paths
from cppcc_study.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "extending.md"
DEMO = ROOT / "data" / "raw" / "demo"
SPEC_COLUMNS = ["doc_id", "committee", "level", "year", "period_start", "indicator", "value", "qualifier",
                "evidence"]
BLOCK = re.compile(r"```(\w+)\n# guide: ([\w-]+)\n(.*?)```", re.S)


def guide_blocks() -> dict[str, str]:
    return {name: body for _, name, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))}


def csv_rows(text: str, header: list[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), fieldnames=header))


def codebook_with_guide_indicator(folder: Path):
    """The packaged codebook plus the guide's new entry, as a file in ``folder``."""
    entry = guide_blocks()["indicator"]
    indented = "".join(f"  {line}\n" for line in entry.splitlines())
    text = paths.CODEBOOK_FILE.read_text(encoding="utf-8").rstrip("\n") + "\n" + indented
    path = folder / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def corpus_of(folder: Path, doc_ids: list[str], extra: dict[str, str] | None = None,
              extra_meta: str = "") -> Path:
    """A corpus folder with some demo documents (and their metadata), plus extra files."""
    folder.mkdir(parents=True)
    with (DEMO / "metadata.csv").open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if ln.split(",", 1)[0] in doc_ids]
    (folder / "metadata.csv").write_text("\n".join(keep) + "\n" + extra_meta, encoding="utf-8")
    for doc_id in doc_ids:
        src = next(DEMO.glob(f"{doc_id}.*"))
        shutil.copy2(src, folder / src.name)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_guide_names_files_that_exist():
    blocks = guide_blocks()
    assert set(blocks) == {"indicator", "indicator-test", "indicator-expected", "notebook-parameters",
                           "notebook-body", "notebook-grid", "document", "document-metadata", "document-expected"}
    text = GUIDE.read_text(encoding="utf-8")
    for rel in ("src/cppcc_study/codebook.yaml", "params/grid.yaml", "data/raw/demo/expected_facts.csv",
                "data/raw/demo/metadata.csv", "tests/test_demo_corpus.py", "docs/design.md"):
        assert rel in text and (ROOT / rel).exists(), rel


# ---------------------------------------------------------------- 1. an indicator


def test_step1_the_new_indicator_is_a_valid_codebook_entry(tmp_path):
    codebook = codebook_with_guide_indicator(tmp_path)
    new = codebook["proposals.consultation_meetings"]
    assert new.unit == "count" and not new.scored and new.rules
    assert len(codebook.keys) == len(load_codebook().keys) + 1


def test_step2_the_indicator_test_in_the_guide_passes(tmp_path):
    codebook = codebook_with_guide_indicator(tmp_path)
    namespace: dict = {}
    exec(compile(guide_blocks()["indicator-test"], "extending.md:indicator-test", "exec"), namespace)
    namespace["load_codebook"] = lambda: codebook  # as if the packaged codebook held the new entry
    namespace["test_consultation_meetings_are_counted"]()


def test_step3_the_demo_facts_of_the_new_indicator_are_found_and_verbatim(tmp_path):
    from cppcc_study.extract import extract_corpus

    codebook = codebook_with_guide_indicator(tmp_path)
    expected = csv_rows(guide_blocks()["indicator-expected"], SPEC_COLUMNS)
    docs = sorted({r["doc_id"] for r in expected})
    corpus = corpus_of(tmp_path / "corpus", docs)
    for row in expected:
        text = next(DEMO.glob(f"{row['doc_id']}.*")).read_text(encoding="utf-8")
        assert row["evidence"] in text and row["value"] in row["evidence"], row
    result = extract_corpus(corpus, use_curation=False, codebook=codebook)
    found = result.facts[result.facts["indicator"] == "proposals.consultation_meetings"]
    got = {(r.doc_id, r.committee, int(r.year), float(r.value), r.qualifier) for r in found.itertuples()}
    want = {(r["doc_id"], r["committee"], int(r["year"]), float(r["value"]), r["qualifier"]) for r in expected}
    assert got == want


def test_step4_the_new_indicator_flows_into_the_panel(tmp_path):
    from cppcc_study.extract import extract_corpus
    from cppcc_study.panel import build_panel

    codebook = codebook_with_guide_indicator(tmp_path)
    corpus = corpus_of(tmp_path / "corpus", ["demo05_guangzhou_2023_proposal_report"])
    facts = extract_corpus(corpus, use_curation=False, codebook=codebook).facts
    panel = build_panel(facts, codebook).panel
    row = panel[(panel["committee"] == "广州市") & (panel["year"] == 2023)].iloc[0]
    assert row["proposals.consultation_meetings"] == 9
    assert {"proposals.consultation_meetings__qualifier", "proposals.consultation_meetings__n_sources"} <= set(
        panel.columns)


# ---------------------------------------------------------------- 2. a committee-level notebook


def _guide_notebook(path: Path) -> None:
    blocks = guide_blocks()
    params = nbformat.v4.new_code_cell(blocks["notebook-parameters"])
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(blocks["notebook-body"])])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.mark.slow
def test_step2_the_notebook_registered_in_the_grid_runs(tmp_path, monkeypatch):
    from cppcc_study.extract import extract_corpus_to_file
    from cppcc_study.grid import load_grid
    from cppcc_study.panel import build_panel_to_file
    from cppcc_study.runner import run_grid

    root = tmp_path / "project"
    corpus = corpus_of(root / "data" / "raw" / "demo", ["demo05_guangzhou_2023_proposal_report",
                                                        "demo04_guangzhou_2022_review"])
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    _guide_notebook(root / "notebooks" / "handling_classes.ipynb")
    grid = yaml.safe_load((ROOT / "params" / "grid.yaml").read_text(encoding="utf-8"))
    grid["notebooks"].update(yaml.safe_load(guide_blocks()["notebook-grid"]))
    grid["years"] = [2023]  # one committee-year keeps the test quick
    (root / "params").mkdir()
    (root / "params" / "grid.yaml").write_text(yaml.safe_dump(grid, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(root))
    extract_corpus_to_file(corpus, paths.facts_file(), use_curation=False)
    build_panel_to_file(paths.facts_file(), paths.panel_file())
    load_grid()  # the guide's entry is a valid grid entry beside the built-in notebooks
    summary = run_grid(params_file=None, jobs=1, executor="local", scheduler=None, force=True, progress=False)
    errors = [f"{r.notebook}: {r.error}" for r in summary.results if r.status == "failed"]
    assert not errors
    ran = {(r.notebook, r.committee, r.year): r.run_dir for r in summary.results}
    assert set(ran) == {("committee_year", "广州市", 2023), ("handling_classes", "广州市", 2023),
                        ("year_comparison", None, 2023)}
    folder = paths.run_dir(2023, "广州市", "handling_classes")
    assert ran[("handling_classes", "广州市", 2023)] == folder
    assert folder.name == "guang-zhou-shi--handling_classes" and folder.parent == paths.build_dir() / "2023"
    assert (paths.run_dir(2023, "广州市") / "outputs.json").is_file()  # committee_year stays where the report reads it
    outputs = json.loads((folder / "outputs.json").read_text(encoding="utf-8"))
    assert outputs["notebook"] == "handling_classes" and outputs["committee"] == "广州市"
    assert [t["csv"] for t in outputs["tables"]] == ["handling_classes.csv"]
    assert (folder / "handling_classes.csv").is_file()


# ---------------------------------------------------------------- 3. a document


def test_step3_the_new_document_gives_its_expected_facts(tmp_path):
    from cppcc_study.extract import extract_corpus
    from cppcc_study.panel import build_panel

    blocks = guide_blocks()
    meta = csv_rows(blocks["document-metadata"], ["doc_id", "url", "committee", "published", "figures_from", "note"])
    assert len(meta) == 1 and meta[0]["figures_from"] == "illustrative"
    doc_id = meta[0]["doc_id"]
    text = blocks["document"]
    assert 300 <= len(text) <= 1500 and "数字系虚构" in text
    expected = csv_rows(blocks["document-expected"], SPEC_COLUMNS)
    for row in expected:
        assert row["doc_id"] == doc_id and row["evidence"] in text and row["value"] in row["evidence"], row
    corpus = corpus_of(tmp_path / "corpus", [], {f"{doc_id}.txt": text}, blocks["document-metadata"])
    facts = extract_corpus(corpus, use_curation=False).facts
    got = {(r.committee, int(r.year), r.indicator, float(r.value)) for r in facts.itertuples()}
    want = {(r["committee"], int(r["year"]), r["indicator"], float(r["value"])) for r in expected}
    assert got == want
    panel = build_panel(facts).panel
    assert ((panel["committee"] == "深圳市") & (panel["year"] == 2022)).any()
