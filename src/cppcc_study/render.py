"""Rendering a report source with Quarto, or with pandoc + Typst when Quarto is absent.

The source's front matter holds Quarto format options (``format: html: …``, ``format:
typst: …``). ``pandoc_args`` is the one place that translates them into pandoc options,
so both engines read the same source and the same options.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from .errors import CppccStudyError, ParameterError
from .fonts import find_cjk_font
from .paths import TEMPLATES

Engine = Literal["quarto", "pandoc"]
EngineChoice = Literal["auto", "quarto", "pandoc"]
Format = Literal["html", "pdf"]
TIMEOUT = 1800  # seconds; a 300-committee report takes well under a minute


class RenderError(CppccStudyError):
    """An engine failed; the message carries the end of its output."""


def choose_engine(choice: EngineChoice) -> Engine:
    """``auto`` is Quarto when ``quarto`` is on PATH, else pandoc (+ Typst for PDF)."""
    if choice not in ("auto", "quarto", "pandoc"):
        raise ParameterError(f"engine must be auto, quarto or pandoc, not {choice!r}")
    if choice == "quarto" and shutil.which("quarto") is None:
        raise ParameterError("engine 'quarto' asked for, but quarto is not on PATH; use --engine pandoc")
    if choice == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    return choice


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=2)
def engine_label(engine: Engine) -> str:
    """Which programs make the report, with versions (stated in the report)."""
    if engine == "quarto":
        out = subprocess.run(["quarto", "--version"], capture_output=True, text=True, check=False)
        return f"Quarto {out.stdout.strip()}"
    import pypandoc
    import typst

    pandoc = pypandoc.get_pandoc_version()
    return f"pandoc {pandoc} (HTML); pandoc {pandoc} + Typst {getattr(typst, '__version__', '?')} (PDF)"


def read_front_matter(source: str) -> dict:
    """The YAML block at the top of a Markdown source."""
    if not source.startswith("---\n"):
        return {}
    end = source.find("\n---\n", 4)
    return yaml.safe_load(source[4:end]) if end > 0 else {}


_FLAGS = {"toc": "--toc", "embed-resources": "--embed-resources"}
_VALUED = {"toc-depth": "--toc-depth", "css": "--css", "include-in-header": "--include-in-header"}
_VARIABLES = {"papersize", "fontsize", "page-numbering", "mainfont"}


def pandoc_args(meta: dict, fmt: Format, mainfont: str | None = None) -> list[str]:
    """pandoc options equivalent to the source's Quarto options for ``fmt``.

    Quarto's ``typst`` format becomes pandoc's Typst writer with the package template
    (templates/report.typ); the PDF is then compiled by ``compile_typst``.
    """
    quarto_fmt = "html" if fmt == "html" else "typst"
    options = dict((meta.get("format") or {}).get(quarto_fmt) or {})
    if mainfont and fmt == "pdf":
        options["mainfont"] = mainfont
    args = ["--from", "markdown", "--standalone"]
    args += ["--to", "html5"] if fmt == "html" else ["--to", "typst", f"--template={TEMPLATES / 'report.typ'}"]
    for key, value in options.items():
        if key in _FLAGS:
            args += [_FLAGS[key]] if value else []
        elif key in _VALUED:
            args += [f"{_VALUED[key]}={v}" for v in (value if isinstance(value, list) else [value])]
        elif key in _VARIABLES:
            args += ["--variable", f"{key}={value}"]
        else:
            raise ParameterError(f"format option {quarto_fmt}.{key} has no pandoc translation in render.pandoc_args")
    return args


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise RenderError(f"{what} failed (exit {proc.returncode}): {tail}")


def compile_typst(typ: Path, pdf: Path) -> None:
    """Typst source → PDF with the CJK font's folders (the ``typst`` wheel's Python API)."""
    import typst

    font = find_cjk_font()
    if font is None:
        raise RenderError("no CJK font found for the PDF: run scripts/setup.sh or set CPPCC_CJK_FONT_DIR")
    # SOURCE_DATE_EPOCH (reproducible-builds convention) fixes the PDF's creation date when set.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    extra = {"timestamp": int(epoch)} if epoch and epoch.isdigit() else {}
    try:
        typst.compile(str(typ), output=str(pdf), root=str(typ.parent), font_paths=[str(d) for d in font.dirs],
                      **extra)
    except Exception as exc:  # typst raises its own TypstError; keep the message, drop the type
        raise RenderError(f"Typst could not compile {typ}: {exc}") from exc


def render_pandoc(qmd: Path, fmt: Format, output: Path) -> None:
    """Render ``qmd`` to ``output`` (HTML directly; PDF through a .typ beside the source)."""
    meta = read_front_matter(qmd.read_text(encoding="utf-8"))
    font = find_cjk_font()
    args = pandoc_args(meta, fmt, mainfont=font.family if font else None)
    if fmt == "html":
        _run([pandoc_path(), qmd.name, *args, "-o", str(output)], qmd.parent, f"pandoc (HTML) on {qmd}")
        return
    typ = qmd.with_suffix(".typ")
    _run([pandoc_path(), qmd.name, *args, "-o", typ.name], qmd.parent, f"pandoc (Typst) on {qmd}")
    compile_typst(typ, output)


def render_quarto(qmd: Path, fmt: Format, output: Path) -> None:
    """Render with ``quarto render`` (HTML, or Typst → PDF); the result is moved to ``output``."""
    font = find_cjk_font()
    to = "html" if fmt == "html" else "typst"
    name = f"{qmd.stem}.{ 'html' if fmt == 'html' else 'pdf'}"
    cmd = ["quarto", "render", qmd.name, "--to", to, "--output", name]
    if font and fmt == "pdf":
        cmd += ["-M", f"mainfont:{font.family}", *(a for d in font.dirs for a in ("-M", f"font-paths:{d}"))]
    _run(cmd, qmd.parent, f"quarto render on {qmd}")
    shutil.move(str(qmd.parent / name), str(output))


def render(qmd: Path, fmt: Format, output: Path, engine: Engine) -> None:
    """Render ``qmd`` to ``output`` in ``fmt`` with ``engine``."""
    if fmt not in ("html", "pdf"):
        raise ParameterError(f"format must be html or pdf, not {fmt!r}")
    (render_quarto if engine == "quarto" else render_pandoc)(qmd, fmt, output)
