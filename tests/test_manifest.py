"""The build manifest and ``verify`` (with fake stages; the real ones are exercised in test_pipeline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cppcc_study import cli, manifest, paths
from cppcc_study.pipeline import build


def _build() -> Path:
    outcome = build(corpus=None, jobs=1, force=False, progress=False, formats=["html"],
                    argv=["cppcc-study", "build"])
    assert outcome.manifest is not None
    return outcome.manifest


# ---------------------------------------------------------------- stamps and hashes


def test_normalise_report_bytes_removes_only_the_build_stamp(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_text("<p>x</p>\n<!-- cppcc-build-stamp: 2026-01-01T00:00:00Z abc -->\n<p>1194</p>\n", encoding="utf-8")
    b.write_text("<p>x</p>\n<!-- cppcc-build-stamp: 2027-05-05T10:00:00Z def -->\n<p>1194</p>\n", encoding="utf-8")
    assert manifest.normalise_report_bytes(a) == manifest.normalise_report_bytes(b)
    b.write_text("<p>x</p>\n<!-- cppcc-build-stamp: 2027 -->\n<p>1195</p>\n", encoding="utf-8")
    assert manifest.normalise_report_bytes(a) != manifest.normalise_report_bytes(b)


def test_normalise_report_bytes_removes_pdf_dates_ids_and_stamp(tmp_path):
    def pdf(stamp: str, date: str, ident: str) -> bytes:
        return (b"%PDF-1.7\n1 0 obj << /Title (Report) /Keywords (cppcc-build-stamp: " + stamp.encode()
                + b") /CreationDate (D:" + date.encode() + b") >> endobj\n"
                b"<xmp:CreateDate>" + date.encode() + b"</xmp:CreateDate>\n"
                b"trailer << /ID [<" + ident.encode() + b"> <" + ident.encode() + b">] >>\n%%EOF\n")

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(pdf("2026-01-01 build 1", "20260101", "AB12"))
    b.write_bytes(pdf("2026-02-02 build 2", "20260202", "CD34"))
    assert manifest.normalise_report_bytes(a) == manifest.normalise_report_bytes(b)
    assert b"/Title (Report)" in manifest.normalise_report_bytes(a)
    # Typst writes the file ID as literal strings and the dates without spaces
    a.write_bytes(b"%PDF-1.7\n/ModDate(D:20261122234149Z)\ntrailer\n<</Size 9/ID[(GVev/A==)(GVev/A==)]>>\n")
    b.write_bytes(b"%PDF-1.7\n/ModDate(D:20270101000000Z)\ntrailer\n<</Size 9/ID[(Xy\\)z/B==)(Xy\\)z/B==)]>>\n")
    assert manifest.normalise_report_bytes(a) == manifest.normalise_report_bytes(b)


def test_notebooks_compare_without_execution_times(tmp_path):
    def nb(start: str, output: str) -> str:
        return json.dumps({"metadata": {"papermill": {"start_time": start, "duration": 1.5, "parameters": {"y": 1}}},
                           "cells": [{"id": start, "metadata": {"execution": {"iopub.status.busy": start}},
                                      "outputs": [{"text": output}]}]})

    a, b, c = tmp_path / "a.ipynb", tmp_path / "b.ipynb", tmp_path / "c.ipynb"
    a.write_text(nb("2026-01-01", "/p/reports/build/2022/.si-chuan-sheng.tmp-15798-988ad7b6/outputs.json"),
                 encoding="utf-8")
    b.write_text(nb("2026-02-02", "/p/reports/build/2022/.si-chuan-sheng.tmp-17127-26a5c4ab/outputs.json"),
                 encoding="utf-8")
    c.write_text(nb("2026-01-01", "918"), encoding="utf-8")
    assert manifest.normalise_notebook_bytes(a) == manifest.normalise_notebook_bytes(b)
    assert manifest.normalise_notebook_bytes(a) != manifest.normalise_notebook_bytes(c)


def test_compare_modes():
    assert manifest.compare_mode("data/processed/facts.csv") == "bytes"
    assert manifest.compare_mode("reports/build/2022/comparison/ranking.svg") == "bytes"
    assert manifest.compare_mode("reports/build/2022/comparison/year_comparison.ipynb") == "notebook"
    assert manifest.compare_mode("reports/2022/cppcc-annual-2022.zh.pdf") == "report"
    assert manifest.compare_mode("reports/build/2022/comparison/outputs.json") == "record"


def test_run_records_compare_without_the_project_folder(tmp_path):
    a, b = tmp_path / "a" / "outputs.json", tmp_path / "b" / "outputs.json"
    for f in (a, b):
        f.parent.mkdir()
        f.write_text(json.dumps({"output_dir": str(f.parent / "run")}), encoding="utf-8")
    assert manifest.comparable_hash(a, "record", a.parent) == manifest.comparable_hash(b, "record", b.parent)
    assert manifest.comparable_hash(a, "bytes") != manifest.comparable_hash(b, "bytes")


# ---------------------------------------------------------------- provenance


def test_environment_names_package_python_dependencies_and_engine():
    env = manifest.environment()
    assert env["package"]["name"] == "cppcc-study" and env["package"]["version"]
    assert len(env["package"]["code_sha256"]) == 64
    assert env["python"].count(".") == 2
    for name in ("pandas", "papermill", "matplotlib", "opencc"):
        assert env["dependencies"][name] not in ("", "missing")
    assert "pytest" not in env["dependencies"]  # optional (dev) dependencies are not direct ones
    assert env["report_engine"]["engine"] in ("quarto", "pandoc", "unknown")


def test_git_commit_is_recorded_in_a_checkout():
    if manifest._git("rev-parse", "HEAD") is None:
        pytest.skip("the package does not run from a git checkout")
    info = manifest.package_info()
    assert len(info["git_commit"]) == 40 and isinstance(info["git_dirty"], bool)


def test_manifest_paths_are_relative_and_the_write_is_atomic(project, calls):
    path = _build()
    data = json.loads(path.read_text(encoding="utf-8"))
    for rel in [*data["inputs"], *data["outputs"]]:
        assert not rel.startswith("/") and str(project) not in rel
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".manifest.json")]


def test_record_stage_adds_a_stage_run_alone_to_the_build_manifest(project, calls):
    path = _build()
    facts = paths.facts_file()
    facts.write_text("doc_id\nnew\n", encoding="utf-8")
    manifest.record_stage("extract", [project / "data" / "raw" / "demo"], [facts],
                          argv=["cppcc-study", "extract", "data/raw/demo", "-o", str(facts)])
    data = json.loads(path.read_text(encoding="utf-8"))
    record = data["stages"]["extract"]
    assert record["command"][1] == "extract"
    assert record["outputs"]["data/processed/facts.csv"]["sha256"] == manifest.sha256_file(facts)
    assert data["outputs"]["data/processed/facts.csv"]["sha256"] == manifest.sha256_file(facts)
    assert data["modified_after_build"] == ["extract"]
    assert any(k.startswith("data/raw/demo/") for k in record["inputs"])


def test_record_stage_of_the_run_folder_leaves_out_the_manifest_itself(project, calls):
    path = _build()
    manifest.record_stage("run", [project / "params" / "grid.yaml"], [paths.build_dir()], argv=["cppcc-study", "run"])
    outputs = json.loads(path.read_text(encoding="utf-8"))["stages"]["run"]["outputs"]
    assert "reports/build/2022/comparison/ranking.png" in outputs
    assert "reports/build/manifest.json" not in outputs


def test_record_stage_starts_a_manifest_when_there_is_none(project):
    out = project / "data" / "processed" / "panel.csv"
    out.parent.mkdir(parents=True)
    out.write_text("committee,year\n", encoding="utf-8")
    path = manifest.record_stage("panel", [], [out], argv=["cppcc-study", "panel"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "stages" and "panel" in data["stages"]
    with pytest.raises(Exception, match="verify needs a `build` manifest"):
        manifest.verify(path)


# ---------------------------------------------------------------- verify


def test_verify_reproduces_a_build(project, calls):
    _build()
    report = manifest.verify()
    assert report.ok, report.describe()
    assert "data/processed/facts.csv" in report.matches
    assert any("after removing the build stamp" in m for m in report.matches)
    assert "OK" in report.describe().splitlines()[0]
    assert not (project / "reports" / "build" / "cppcc-verify").exists()


def test_verify_names_a_changed_input(project, calls):
    path = _build()
    doc = next((project / "data" / "raw" / "demo").glob("demo01*"))
    doc.write_text(doc.read_text(encoding="utf-8") + "补充一句。\n", encoding="utf-8")
    report = manifest.verify(path)
    assert not report.ok
    assert report.input_changes == (f"data/raw/demo/{doc.name}: content changed",)
    diff = {d.path: d for d in report.differences}
    assert diff["data/processed/facts.csv"].why.startswith("changed input: data/raw/demo/demo01")


def test_verify_names_a_changed_version(project, calls, monkeypatch):
    path = _build()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["dependencies"]["pandas"] = "1.0.0"
    data["outputs"]["data/processed/panel.csv"]["sha256"] = "0" * 64  # as if pandas 1.0 had written it
    path.write_text(json.dumps(data), encoding="utf-8")
    report = manifest.verify(path)
    assert not report.ok and any(v.startswith("pandas: 1.0.0 →") for v in report.version_changes)
    assert [d.why.split(":")[0] for d in report.differences] == ["changed version"]


def test_verify_names_changed_code(project, calls):
    path = _build()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["package"]["code_sha256"] = "f" * 64
    data["outputs"]["data/processed/panel.csv"]["sha256"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    report = manifest.verify(path)
    assert report.code_changes and report.differences[0].why.startswith("changed code")


def test_verify_flags_a_nondeterministic_step(project, calls):
    calls.nondeterministic = True
    _build()
    report = manifest.verify()
    assert not report.ok
    assert {d.path for d in report.differences} == {
        f"reports/build/{y}/comparison/ranking.png" for y in (2021, 2022, 2023)}
    assert all("not deterministic" in d.why for d in report.differences)


def test_verify_a_manifest_from_another_machine(project, calls, tmp_path, monkeypatch):
    path = _build()
    elsewhere = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns("processed", "build", "20[0-9][0-9]"))
    received = tmp_path / "mail" / "manifest.json"
    received.parent.mkdir()
    shutil.copy2(path, received)
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(elsewhere))
    report = manifest.verify(received)
    assert report.ok, report.describe()


def test_cli_verify_exit_codes(project, calls, capsys):
    path = _build()
    assert cli.main(["verify", str(path)]) == 0
    assert "match:" in capsys.readouterr().out
    (project / "data" / "curation" / "overrides.csv").write_text("action,doc_id\n", encoding="utf-8")
    assert cli.main(["verify"]) == 1
    assert "data/curation/overrides.csv: content changed" in capsys.readouterr().out
    assert cli.main(["verify", str(project / "nope.json")]) == 1
