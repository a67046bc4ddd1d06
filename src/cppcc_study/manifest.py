"""The build manifest (``reports/build/manifest.json``) and ``verify``, the replication check.

The manifest says what a build read and wrote: package version and git commit, Python and
direct dependency versions, the report engine, the sha256 of every input (documents,
codebook, curation file, params, notebooks) and of every output, with the command line
and the start and end times. Paths are relative to the project root, so a manifest made
on another machine can be checked against a checkout here.

Outputs are compared in one of three ways (``compare``):
``bytes`` (data files, tables, figures, run records: must be byte-identical),
``report`` (HTML and PDF: identical after ``normalise_report_bytes``) and
``record`` (run records ``outputs.json``: identical once the project folder's path is replaced)
and ``notebook`` (executed notebooks: identical after removing execution times and that path).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from . import paths
from .errors import InputError

MANIFEST_VERSION = 1
MANIFEST_NAME = "manifest.json"
DISTRIBUTION = "cppcc-study"
#: The marker of the one build-time stamp a report may carry (a line in HTML, a metadata string in PDF).
STAMP_MARKER = b"cppcc-build-stamp:"
#: Project folders (besides the corpus) whose files are inputs of a build.
INPUT_FOLDERS = ("data/curation", "params", "notebooks")
INPUT_FILES = ("reports/_quarto.yml",)
_PDF_VOLATILE = re.compile(
    rb"(/CreationDate\s*\([^)]*\)|/ModDate\s*\([^)]*\)"
    rb"|/ID\s*\[\s*(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))\s*(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))\s*\]"
    rb"|<xmp:(?:CreateDate|ModifyDate|MetadataDate)>[^<]*<|<xmpMM:(?:DocumentID|InstanceID)>[^<]*<)"
)
_STAMP = re.compile(re.escape(STAMP_MARKER) + rb"[^\r\n)<>\]]*")
#: The runner executes into ``.<run>.tmp-<pid>-<random>`` beside the run folder; notebooks record that path.
_RUN_TMP = re.compile(rb"/\.([^/\"'\\]+?)\.tmp-\d+-[0-9a-f]+")
_NOTEBOOK_VOLATILE = ("start_time", "end_time", "duration", "execution", "exception_time")


# --------------------------------------------------------------------------- hashing


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def normalise_report_bytes(path: str | Path) -> bytes:
    """A report's bytes without its build-time stamp.

    Removes every ``cppcc-build-stamp: …`` up to the end of its line (HTML, text) or the end
    of its PDF string; for PDF also the creation/modification dates and the file ID, which
    are build-time stamps of the PDF format itself.
    """
    data = Path(path).read_bytes()
    data = _STAMP.sub(STAMP_MARKER, data)
    if data.startswith(b"%PDF"):
        data = _PDF_VOLATILE.sub(b"", data)
    return data


def normalise_notebook_bytes(path: str | Path) -> bytes:
    """An executed notebook without execution times, cell ids and the runner's temporary folder name."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))

    def strip(meta: dict) -> None:
        for key in _NOTEBOOK_VOLATILE:
            meta.pop(key, None)
        for sub in ("papermill", "execution"):
            if isinstance(meta.get(sub), dict):
                strip(meta[sub])

    strip(nb.get("metadata", {}))
    for cell in nb.get("cells", []):
        strip(cell.get("metadata", {}))
        cell.pop("id", None)  # papermill gives its injected cell a random id
    data = json.dumps(nb, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return _RUN_TMP.sub(rb"/\1", data)


def compare_mode(rel: str) -> str:
    """How an output is compared: ``bytes``, ``record``, ``report`` or ``notebook``."""
    suffix = Path(rel).suffix.lower()
    if suffix == ".ipynb":
        return "notebook"
    if suffix in (".html", ".pdf") and not rel.startswith("reports/build/"):
        return "report"
    if suffix == ".json" and rel.startswith("reports/build/"):
        return "record"
    return "bytes"


def output_kind(rel: str) -> str:
    suffix = Path(rel).suffix.lower()
    if rel.startswith("data/processed/"):
        return "data"
    if suffix == ".ipynb":
        return "notebook"
    if suffix in (".png", ".svg"):
        return "figure"
    if suffix == ".csv":
        return "table"
    if suffix in (".html", ".pdf"):
        return "report"
    return "record"


def _without_root(data: bytes, root: Path | None) -> bytes:
    """Replace the project folder's absolute path (as written in text and in JSON) by ``<project>``."""
    if root is None:
        return data
    for form in {str(root), str(Path(root).resolve())}:
        for text in (form, json.dumps(form)[1:-1]):
            data = data.replace(text.encode("utf-8"), b"<project>")
    return data


def comparable_hash(path: Path, mode: str, root: Path | None = None) -> str:
    """The hash ``verify`` compares: of the bytes, or of the bytes without stamps, times and the
    project folder's path (run records and notebooks hold the paths they were given)."""
    if mode == "report":
        return sha256_bytes(normalise_report_bytes(path))
    if mode == "notebook":
        return sha256_bytes(_without_root(normalise_notebook_bytes(path), root))
    if mode == "record":
        return sha256_bytes(_without_root(Path(path).read_bytes(), root))
    return sha256_file(path)


# --------------------------------------------------------------------------- provenance


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=paths.PACKAGE_DIR, capture_output=True, text=True,
                             timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def code_sha256() -> str:
    """One hash over the package's own files (code, codebook, templates, package data)."""
    h = hashlib.sha256()
    for path in sorted(p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts and p.suffix != ".pyc"):
        h.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(sha256_file(path).encode() + b"\n")
    return h.hexdigest()


def package_info() -> dict:
    """Version, git commit (when the package runs from a git checkout) and a hash of the code."""
    try:
        version = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = _git("rev-parse", "HEAD")
    dirty = None
    if commit:
        status = _git("status", "--porcelain", "--untracked-files=no", "--", ".")
        dirty = bool(status)
    return {"name": DISTRIBUTION, "version": version, "git_commit": commit, "git_dirty": dirty,
            "code_sha256": code_sha256()}


def _requirement_name(req: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0]


def dependency_versions() -> dict[str, str]:
    """Installed versions of the direct (non-optional) dependencies named in pyproject.toml."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return {}
    out = {}
    for req in requires:
        if "extra ==" in req:
            continue
        name = _requirement_name(req)
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return dict(sorted(out.items()))


def report_engine() -> dict:
    """The engine ``--engine auto`` picks here, with its version label."""
    try:
        from .render import choose_engine, engine_label

        engine = choose_engine("auto")
        return {"engine": engine, "label": engine_label(engine)}
    except Exception as exc:  # provenance must never break a build
        return {"engine": "unknown", "label": f"unavailable: {exc}"}


def environment() -> dict:
    return {
        "package": package_info(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "dependencies": dependency_versions(),
        "report_engine": report_engine(),
    }


# --------------------------------------------------------------------------- inventories


def relative(path: str | Path, root: Path | None = None) -> str:
    """``path`` relative to the project root (POSIX), or absolute when it lies outside."""
    root = (root or paths.project_root()).resolve()
    path = Path(path).resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and not p.name.startswith(".") and "__pycache__" not in p.parts \
                    and ".ipynb_checkpoints" not in p.parts:
                yield p


def input_inventory(corpus: Path, root: Path | None = None) -> dict[str, dict]:
    """sha256 of every input of a build: corpus files, codebook, curation, params, notebooks."""
    root = root or paths.project_root()
    out: dict[str, dict] = {}
    for p in _files(Path(corpus)):
        out[relative(p, root)] = {"sha256": sha256_file(p), "role": "document" if p.suffix != ".csv" else "corpus"}
    out["package:cppcc_study/codebook.yaml"] = {"sha256": sha256_file(paths.CODEBOOK_FILE), "role": "codebook"}
    roles = {"data/curation": "curation", "params": "params", "notebooks": "notebook"}
    for folder in INPUT_FOLDERS:
        for p in _files(root / folder):
            out[relative(p, root)] = {"sha256": sha256_file(p), "role": roles[folder]}
    for name in INPUT_FILES:
        if (root / name).is_file():
            out[name] = {"sha256": sha256_file(root / name), "role": "report-config"}
    return dict(sorted(out.items()))


def _output_files(root: Path) -> Iterator[Path]:
    yield from _files(root / "data" / "processed")
    build = root / "reports" / "build"
    for p in _files(build):
        if p.name != MANIFEST_NAME and not p.name.endswith(".lock"):
            yield p
    reports = root / "reports"
    if reports.is_dir():
        for year_dir in sorted(d for d in reports.iterdir() if d.is_dir() and d.name.isdigit()):
            yield from _files(year_dir)


def describe_outputs(files: Iterable[Path], root: Path | None = None) -> dict[str, dict]:
    """sha256, comparison hash and kind of each output file."""
    root = root or paths.project_root()
    out = {}
    for p in files:
        rel = relative(p, root)
        mode = compare_mode(rel)
        entry = {"sha256": sha256_file(p), "kind": output_kind(rel), "compare": mode}
        if mode != "bytes":
            entry["compare_sha256"] = comparable_hash(p, mode, root)
        out[rel] = entry
    return dict(sorted(out.items()))


def output_inventory(root: Path | None = None) -> dict[str, dict]:
    """Every output a build leaves: data/processed, reports/build (runs) and reports/<year>."""
    root = root or paths.project_root()
    return describe_outputs(_output_files(root), root)


# --------------------------------------------------------------------------- writing


def manifest_path() -> Path:
    return paths.build_dir() / MANIFEST_NAME


def read_manifest(path: str | Path | None = None) -> dict:
    path = Path(path) if path else manifest_path()
    if not path.is_file():
        raise InputError(path, "no manifest here; run `cppcc-study build` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not a JSON manifest ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        raise InputError(path, f"not a cppcc-study manifest of version {MANIFEST_VERSION}")
    return data


def write_manifest(data: dict, path: Path | None = None) -> Path:
    path = path or manifest_path()
    paths.write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def write_build_manifest(corpus: Path, argv: Sequence[str], started: str, formats: Sequence[str],
                         stages: dict, failures: Sequence[str]) -> Path:
    """Write the manifest of a whole build (replacing any earlier one)."""
    root = paths.project_root()
    data = {
        "manifest_version": MANIFEST_VERSION,
        "kind": "build",
        "command": list(argv),
        "started": started,
        "finished": utc_now(),
        "corpus": relative(corpus, root),
        "formats": list(formats),
        **environment(),
        "inputs": input_inventory(corpus, root),
        "outputs": output_inventory(root),
        "stages": stages,
        "failures": list(failures),
    }
    return write_manifest(data)


def record_stage(stage: str, inputs: Sequence[str | Path], outputs: Sequence[str | Path],
                 argv: Sequence[str] | None = None, started: str | None = None) -> Path:
    """Record a stage run alone (``cppcc-study extract|panel|run|report``) in the manifest.

    The stage's inputs and outputs (files or folders) are hashed and stored under
    ``stages[stage]``; outputs the last build also wrote get their new hashes, and the
    manifest notes that it was modified after the build. Without a manifest, one is started.
    """
    root = paths.project_root()
    path = manifest_path()
    try:
        data = read_manifest(path)
    except InputError:
        data = {"manifest_version": MANIFEST_VERSION, "kind": "stages", "inputs": {}, "outputs": {},
                "stages": {}}
    in_files = [f for p in inputs for f in _files(Path(p))]
    out_files = [f for p in outputs for f in _files(Path(p)) if f.resolve() != path.resolve()]
    record = {
        "command": list(argv) if argv is not None else ["cppcc-study", *sys.argv[1:]],
        "started": started or utc_now(),
        "finished": utc_now(),
        "inputs": {relative(p, root): sha256_file(p) for p in in_files},
        "outputs": describe_outputs(out_files, root),
    }
    data.update(environment())
    data.setdefault("stages", {})[stage] = record
    data.setdefault("outputs", {}).update(record["outputs"])
    if data.get("kind") == "build":
        changed = data.setdefault("modified_after_build", [])
        if stage not in changed:
            changed.append(stage)
    return write_manifest(data, path)


# --------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Difference:
    """One output that does not reproduce, and the most likely reason."""

    path: str
    problem: str  # differs | missing | new
    why: str


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of ``verify``: matching outputs, differences and their causes."""

    manifest: Path
    matches: tuple[str, ...]
    differences: tuple[Difference, ...]
    input_changes: tuple[str, ...] = ()
    version_changes: tuple[str, ...] = ()
    code_changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Every output reproduced from the very inputs of the manifest (versions and code may differ)."""
        return not self.differences and not self.input_changes

    def describe(self) -> str:
        lines = [f"verify {self.manifest}: {len(self.matches)} output(s) match, "
                 f"{len(self.differences)} differ, {len(self.input_changes)} input(s) changed — "
                 f"{'OK' if self.ok else 'NOT REPRODUCED'}"]
        for title, items in (("changed inputs", self.input_changes), ("changed versions", self.version_changes),
                             ("changed code", self.code_changes)):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {i}" for i in items]
        if self.matches:
            lines.append("match:")
            lines += [f"  {m}" for m in self.matches]
        if self.differences:
            lines.append("differ:")
            lines += [f"  {d.path}: {d.problem} ({d.why})" for d in self.differences]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _compare_dicts(old: dict, new: dict, what: str) -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a != b:
            out.append(f"{what}{key}: {a if a is not None else 'absent'} → {b if b is not None else 'absent'}")
    return out


def input_changes(old: dict, new: dict) -> list[str]:
    out = []
    for rel in sorted(set(old) | set(new)):
        a, b = old.get(rel, {}).get("sha256"), new.get(rel, {}).get("sha256")
        if a == b:
            continue
        out.append(f"{rel}: " + ("added" if a is None else "removed" if b is None else "content changed"))
    return out


def version_changes(old: dict, new: dict) -> list[str]:
    out = []
    if old.get("package", {}).get("version") != new["package"]["version"]:
        out.append(f"cppcc-study {old.get('package', {}).get('version')} → {new['package']['version']}")
    if old.get("python") != new["python"]:
        out.append(f"Python {old.get('python')} → {new['python']}")
    out += _compare_dicts(old.get("dependencies", {}), new["dependencies"], "")
    if old.get("report_engine", {}).get("label") != new["report_engine"]["label"]:
        out.append(f"report engine {old.get('report_engine', {}).get('label')} → {new['report_engine']['label']}")
    return out


def code_changes(old: dict, new: dict) -> list[str]:
    a, b = old.get("package", {}), new["package"]
    if a.get("code_sha256") == b["code_sha256"]:
        return []
    if a.get("git_commit") and b.get("git_commit") and a["git_commit"] != b["git_commit"]:
        return [f"git commit {a['git_commit'][:12]} → {b['git_commit'][:12]}"]
    return ["the package's files differ from those of the build"
            + (" (uncommitted changes)" if b.get("git_dirty") else "")]


_AFTER = {"report": " (after removing the build stamp)", "notebook": " (after removing execution times)",
          "record": " (after replacing the project folder's path)"}


def _why(inputs: list[str], versions: list[str], code: list[str]) -> str:
    """Every kind of change that can explain a differing output, most direct first."""
    def some(items: list[str]) -> str:
        return "; ".join(items[:3]) + (" …" if len(items) > 3 else "")

    reasons = []
    if inputs:
        reasons.append("changed input: " + some([i.rsplit(": ", 1)[0] for i in inputs]))
    if versions:
        reasons.append("changed version: " + some(versions))
    if code:
        reasons.append("changed code: " + code[0])
    return "; ".join(reasons) or "same inputs, versions and code: the step that writes it is not deterministic"


@contextmanager
def project_root_at(root: Path) -> Iterator[Path]:
    """Point ``paths`` (and child processes) at ``root`` for the duration of the block."""
    old = os.environ.get("CPPCC_STUDY_ROOT")
    os.environ["CPPCC_STUDY_ROOT"] = str(root)
    try:
        yield root
    finally:
        if old is None:
            os.environ.pop("CPPCC_STUDY_ROOT", None)
        else:
            os.environ["CPPCC_STUDY_ROOT"] = old


def copy_inputs(corpus_rel: str, source_root: Path, target_root: Path) -> Path:
    """Copy what a build reads (corpus, curation, params, notebooks, report config) to ``target_root``."""
    corpus = Path(corpus_rel)
    corpus_src = corpus if corpus.is_absolute() else source_root / corpus
    if not corpus_src.is_dir():
        raise InputError(corpus_src, "the manifest's corpus folder is not in this checkout")
    corpus_dst = target_root / ("data/raw/_external" if corpus.is_absolute() else corpus)
    shutil.copytree(corpus_src, corpus_dst)
    for folder in INPUT_FOLDERS:
        if (source_root / folder).is_dir():
            shutil.copytree(source_root / folder, target_root / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (target_root / "params").mkdir(exist_ok=True)
    for name in INPUT_FILES:
        if (source_root / name).is_file():
            (target_root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_root / name, target_root / name)
    return corpus_dst


def verify(manifest: Path | None = None, jobs: int | None = None, keep: Path | None = None) -> VerifyReport:
    """Re-run the build of ``manifest`` in a temporary copy of the project and compare hashes.

    ``keep``: a folder for the re-run instead of a temporary one (left in place, for inspection).
    """
    from .pipeline import build

    manifest = Path(manifest) if manifest else manifest_path()
    old = read_manifest(manifest)
    if "corpus" not in old:
        raise InputError(manifest, "this manifest records single stages only; verify needs a `build` manifest")
    source_root = paths.project_root()
    notes = []
    if old.get("modified_after_build"):
        notes.append("stages were re-run alone after the build: " + ", ".join(old["modified_after_build"]))
    with tempfile.TemporaryDirectory(prefix="cppcc-verify-") as tmp:
        work = Path(keep) if keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus = copy_inputs(old["corpus"], source_root, work)
        with project_root_at(work):
            outcome = build(corpus=corpus, jobs=jobs, force=True, progress=False,
                            formats=old.get("formats", ["html", "pdf"]),
                            argv=["cppcc-study", "verify", str(manifest)])
            new = read_manifest(manifest_path())
        if outcome.failures:
            notes.append(f"the re-run had {len(outcome.failures)} failure(s): "
                         + "; ".join(str(f) for f in outcome.failures[:5]))
    new_inputs = dict(new["inputs"])
    if Path(old["corpus"]).is_absolute():
        notes.append(f"the corpus {old['corpus']} lies outside the project; its files are compared by name")
    ins = input_changes(_inputs_by_name(old), _inputs_by_name({**new, "inputs": new_inputs}))
    vers = version_changes(old, new)
    code = code_changes(old, new)
    matches, diffs = [], []
    for rel in sorted(set(old.get("outputs", {})) | set(new["outputs"])):
        a, b = old.get("outputs", {}).get(rel), new["outputs"].get(rel)
        if a is None:
            diffs.append(Difference(rel, "new", "written by the re-run, absent from the manifest; "
                                    + _why(ins, vers, code)))
        elif b is None:
            diffs.append(Difference(rel, "missing", "not written by the re-run; " + _why(ins, vers, code)))
        elif a.get("compare_sha256", a["sha256"]) == b.get("compare_sha256", b["sha256"]):
            matches.append(rel + _AFTER.get(a.get("compare", "bytes"), ""))
        else:
            diffs.append(Difference(rel, "differs", _why(ins, vers, code)))
    return VerifyReport(manifest=manifest, matches=tuple(matches), differences=tuple(diffs),
                        input_changes=tuple(ins), version_changes=tuple(vers), code_changes=tuple(code),
                        notes=tuple(notes))


def _inputs_by_name(data: dict) -> dict[str, dict]:
    """Inputs keyed for comparison; an external corpus is keyed by file name only."""
    corpus = data.get("corpus", "")
    out = {}
    for rel, entry in data.get("inputs", {}).items():
        if Path(corpus).is_absolute() and rel.startswith(corpus.rstrip("/") + "/"):
            rel = "corpus:" + rel[len(corpus.rstrip("/")) + 1:]
        elif rel.startswith("data/raw/_external/"):
            rel = "corpus:" + rel[len("data/raw/_external/"):]
        out[rel] = entry
    return out
