"""Where things live. Notebooks and modules ask here instead of building path strings.

The project root is found from the environment variable ``CPPCC_STUDY_ROOT`` when set,
otherwise from the current directory upwards (the first folder holding ``params/`` and
``pyproject.toml``), otherwise the current directory.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Read once, at import (os.umask can only be read by setting it, which threads must not race on).
_UMASK = os.umask(0)
os.umask(_UMASK)

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"
CODEBOOK_FILE = PACKAGE_DIR / "codebook.yaml"
TEMPLATES = PACKAGE_DIR / "templates"


def project_root() -> Path:
    """The project folder that holds data/, params/, reports/ and notebooks/."""
    env = os.environ.get("CPPCC_STUDY_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return here


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def demo_corpus() -> Path:
    return raw_dir() / "demo"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def curation_file() -> Path:
    return project_root() / "data" / "curation" / "overrides.csv"


def params_dir() -> Path:
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


def build_dir() -> Path:
    return reports_dir() / "build"


def facts_file() -> Path:
    return processed_dir() / "facts.csv"


def panel_file() -> Path:
    return processed_dir() / "panel.csv"


@contextmanager
def atomic_path(target: str | Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success.

    A failure (or Ctrl-C) leaves ``target`` as it was and removes the temporary file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            # mkstemp makes the file private (0600); give it the mode a plain open() would
            os.chmod(tmp_path, 0o666 & ~_UMASK)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write text (UTF-8) to ``target`` through a temporary file and a rename."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write bytes to ``target`` through a temporary file and a rename."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def committee_slug(committee: str) -> str:
    """An ASCII folder name for a committee: pinyin syllables joined by '-' (广州市 → guang-zhou-shi)."""
    from pypinyin import lazy_pinyin

    parts = [p for p in lazy_pinyin(committee) if p.strip()]
    slug = "-".join(p.lower() for p in parts)
    return "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in slug).strip("-") or "committee"


#: The notebooks whose runs own the plain folder names (the report reads them there).
COMMITTEE_NOTEBOOK, YEAR_NOTEBOOK = "committee_year", "year_comparison"
COMPARISON_FOLDER = "comparison"
#: A grid notebook name: it becomes part of a folder name, and "--" separates it from the rest.
NOTEBOOK_NAME = re.compile(r"[A-Za-z0-9_]+")


def run_folder_name(committee: str | None = None, notebook: str | None = None) -> str:
    """Name of a run folder under reports/build/<year>/ (the one rule; docs/design.md).

    ``committee_year`` runs in ``<committee slug>``, ``year_comparison`` in ``comparison``;
    any other notebook in ``<committee slug>--<notebook>`` or ``comparison--<notebook>``,
    a sibling rather than a subfolder, since each run folder is replaced whole.
    ``notebook=None`` means the built-in notebook of the kind. ValueError for a name
    that is not letters, digits and underscores.
    """
    base = COMPARISON_FOLDER if committee is None else committee_slug(committee)
    if notebook is None or notebook == (YEAR_NOTEBOOK if committee is None else COMMITTEE_NOTEBOOK):
        return base
    if not NOTEBOOK_NAME.fullmatch(notebook):
        raise ValueError(f"notebook name {notebook!r}: use letters, digits and underscores only")
    return f"{base}--{notebook}"


def run_dir(year: int, committee: str | None = None, notebook: str | None = None) -> Path:
    """Folder of one notebook run: reports/build/<year>/<run_folder_name(committee, notebook)>."""
    return build_dir() / str(year) / run_folder_name(committee, notebook)
