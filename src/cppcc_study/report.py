"""The annual comparison report: write its source for a year, then render HTML and PDF.

``reports/source/<Y>/report.<lang>.qmd`` (+ figures, CSS, JS, Typst style) is generated
from the data files; ``reports/<Y>/cppcc-annual-<Y>.<lang>.html|pdf`` are rendered through
a temporary file and renamed, so a failed build leaves the previous report in place.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from . import paths
from .errors import ParameterError
from .render import EngineChoice, choose_engine, engine_label, render
from .report_inputs import load_inputs
from .report_source import ReportSource, report_source

LANGS = ("zh", "en")
FORMATS = ("html", "pdf")


def render_dir(year: int, root: Path | None = None) -> Path:
    return (root / "reports" if root else paths.reports_dir()) / "source" / str(year)


def report_path(year: int, lang: str, fmt: str, root: Path | None = None) -> Path:
    return (root / "reports" if root else paths.reports_dir()) / str(year) / f"cppcc-annual-{year}.{lang}.{fmt}"


def write_source(source: ReportSource, folder: Path, lang: str) -> Path:
    """Write the source and copy its assets into ``folder``; return the .qmd path."""
    figures = folder / "figures"
    if figures.exists():
        shutil.rmtree(figures)  # figures of committees no longer in the panel must not linger
    for rel, src in source.assets.items():
        paths.write_bytes_atomic(folder / rel, src.read_bytes())
    qmd = folder / f"report.{lang}.qmd"
    paths.write_text_atomic(qmd, source.text)
    return qmd


def build_report(year: int, lang: str = "zh", formats: Sequence[str] = FORMATS,
                 engine: EngineChoice = "auto", root: Path | None = None) -> list[Path]:
    """Write the source of ``year``'s report in ``lang`` and render it to ``formats``; return the files."""
    if lang not in LANGS:
        raise ParameterError(f"lang must be zh or en, not {lang!r}")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError(f"formats must be among html, pdf; got {', '.join(formats) or 'none'}")
    chosen = choose_engine(engine)
    inputs = load_inputs(year, root)
    qmd = write_source(report_source(inputs, lang, engine_label(chosen)), render_dir(year, root), lang)
    written = []
    for fmt in formats:
        target = report_path(year, lang, fmt, root)
        with paths.atomic_path(target) as tmp:
            render(qmd, fmt, tmp, chosen)  # type: ignore[arg-type]
        written.append(target)
    return written
