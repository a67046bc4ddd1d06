"""Stand-in stages for testing ``pipeline.build`` and ``manifest.verify`` in isolation.

Each fake has the real stage's signature and writes small deterministic files derived from
its inputs, so a changed input changes the outputs, and ``install`` puts them where
``pipeline`` imports the real ones.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import types
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from cppcc_study import paths
from cppcc_study.errors import InputError
from cppcc_study.panel import n_conflicting_figures  # the real count: the fakes keep the contract

ROOT = Path(__file__).resolve().parents[1]
STAGE_MODULES = ("extract", "panel", "runner", "report")


@dataclass
class Calls:
    """What the fakes were asked to do, in order; ``fail`` makes named steps fail."""

    order: list[str] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)
    nondeterministic: bool = False
    counter: int = 0


def make_project(root: Path, docs: int = 3) -> Path:
    """A small project folder: a corpus of demo documents, curation, params and a notebook."""
    corpus = root / "data" / "raw" / "demo"
    corpus.mkdir(parents=True)
    demo = ROOT / "data" / "raw" / "demo"
    for p in sorted(demo.glob("demo*"))[:docs]:
        shutil.copy2(p, corpus / p.name)
    (root / "data" / "curation").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "curation" / "overrides.csv", root / "data" / "curation" / "overrides.csv")
    (root / "params").mkdir()
    (root / "params" / "grid.yaml").write_text("years: all\n", encoding="utf-8")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "committee_year.ipynb").write_text('{"cells": [], "metadata": {}}\n', encoding="utf-8")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    return corpus


def install(monkeypatch, calls: Calls) -> None:
    """Replace the four stage modules with the fakes for the duration of a test."""
    import sys

    def digest(*parts: bytes) -> str:
        return hashlib.sha256(b"".join(parts)).hexdigest()[:16]

    def extract_corpus_to_file(corpus, output, curation=None, progress=True):
        calls.order.append("extract")
        if "extract" in calls.fail:
            raise InputError(corpus, "no such corpus")
        docs = sorted(p for p in Path(corpus).iterdir() if p.suffix in (".txt", ".html", ".md"))
        failures = [InputError(p, "undecodable") for p in docs if "broken" in p.name]
        rows = [{"doc_id": p.stem, "committee": "四川省", "year": 2021 + i % 3, "value": digest(p.read_bytes())}
                for i, p in enumerate(docs) if "broken" not in p.name]
        facts = pd.DataFrame(rows)
        with paths.atomic_path(output) as tmp:
            facts.to_csv(tmp, index=False)
        return types.SimpleNamespace(facts=facts, failures=failures, log=[f"read {len(docs)} documents"],
                                     n_documents=len(docs))

    def build_panel_to_file(facts_path, output, conflicts=None, to_stata=False):
        calls.order.append("panel")
        if "panel" in calls.fail:
            raise InputError(facts_path, "facts do not satisfy their schema")
        facts = pd.read_csv(facts_path)
        panel = facts.groupby(["committee", "year"], as_index=False).size()
        with paths.atomic_path(output) as tmp:
            panel.to_csv(tmp, index=False)
        return types.SimpleNamespace(panel=panel, conflicts=pd.DataFrame(), written=(Path(output),))

    def run_grid(params_file=None, jobs=None, executor="local", scheduler=None, force=False, progress=True):
        calls.order.append("run")
        panel = pd.read_csv(paths.panel_file())
        failures = []
        for year in sorted(panel["year"].unique()):
            folder = paths.run_dir(int(year))
            folder.mkdir(parents=True, exist_ok=True)
            if f"run {year}" in calls.fail:
                failures.append((str(folder), "notebook raised ValueError"))
                continue
            calls.counter += 1
            extra = str(calls.counter).encode() if calls.nondeterministic else b""
            (folder / "ranking.csv").write_text(panel[panel["year"] == year].to_csv(index=False), encoding="utf-8")
            record = {"notebook": "year_comparison", "year": int(year),
                      "parameters": {"output_dir": str(folder), "panel_path": str(paths.panel_file())}}
            (folder / "outputs.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            (folder / "ranking.png").write_bytes(b"\x89PNG" + digest(paths.panel_file().read_bytes(), extra).encode())
        return types.SimpleNamespace(failures=failures, describe=lambda: f"{len(panel)} runs, {len(failures)} failed")

    def build_report(year, lang="zh", formats=("html", "pdf"), engine="auto", root=None):
        calls.order.append(f"report {year} {lang}")
        if f"report {year}" in calls.fail:
            raise InputError(paths.panel_file(), f"no runs for {year}")
        out = []
        stamp = f"<!-- cppcc-build-stamp: built {calls.counter} -->\n"
        calls.counter += 1
        for fmt in formats:
            target = paths.reports_dir() / str(year) / f"cppcc-annual-{year}.{lang}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<html>{year} {lang}\n{stamp}{paths.panel_file().read_text()}</html>\n",
                              encoding="utf-8")
            out.append(target)
        return out

    fakes = {
        "extract": {"extract_corpus_to_file": extract_corpus_to_file},
        "panel": {"build_panel_to_file": build_panel_to_file, "n_conflicting_figures": n_conflicting_figures},
        "runner": {"run_grid": run_grid},
        "report": {"build_report": build_report},
    }
    for name, attrs in fakes.items():
        module = types.ModuleType(f"cppcc_study.{name}")
        module.__dict__.update(attrs)
        monkeypatch.setitem(sys.modules, f"cppcc_study.{name}", module)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A small project folder (``make_project``) that ``paths`` resolves to."""
    root = tmp_path / "project"
    make_project(root)
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(root))
    return root


@pytest.fixture
def calls(monkeypatch):
    """The four stages replaced by fakes that record their calls."""
    calls = Calls()
    install(monkeypatch, calls)
    return calls
