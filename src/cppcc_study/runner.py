"""Execute the notebook grid with papermill: cache, parallel or dask, failures isolated, nothing half-written.

Each job executes into a hidden temporary folder beside its run folder, which is renamed
into place when the job ends (an interrupted job leaves nothing behind, and the next run
resumes where this one stopped). A job whose cache key — notebook source, parameters,
library version (with a hash of the package modules the notebook can reach and the
package data) and the hashes of the input rows it reads (``inputs``) — matches the
``.cache.json`` in its run folder is skipped. A failing notebook keeps its partially
executed copy in its run folder with an ``outputs.json`` whose status is ``failed``.

Executors: ``local`` drives ``-j N`` notebooks from threads (each notebook runs in a kernel
process of its own; ``-j 1`` runs in the calling thread); ``dask`` submits the same jobs to
a dask.distributed cluster (a LocalCluster when no scheduler address is given), whose
workers must see the project folder at the same path.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import nbformat

from . import __version__, inputs, paths, views
from .grid import Grid, Job, grid_jobs, load_grid
from .kernels import KernelPool, KernelSpec

Executor = Literal["local", "dask"]
Status = Literal["ok", "failed", "cached"]
CACHE_FILE = ".cache.json"
OUTPUTS_FILE = "outputs.json"
TMP_MARK, OLD_MARK = ".tmp-", ".old-"


@dataclass(frozen=True)
class JobResult:
    """What became of one job; ``error`` is the error line of a failure, ``notebook`` the executed copy."""

    notebook: str
    committee: str | None
    year: int
    status: Status
    seconds: float
    run_dir: Path
    error: str = ""

    @property
    def executed(self) -> Path:
        return self.run_dir / f"{self.notebook}.ipynb"

    @property
    def label(self) -> str:
        return f"{self.notebook} {self.committee + ' ' if self.committee else ''}{self.year}"


@dataclass(frozen=True)
class RunSummary:
    """All job results of a grid run, in grid order, and the wall-clock seconds it took."""

    results: tuple[JobResult, ...]
    seconds: float
    build_dir: Path
    executor: str = "local"
    workers: int = 1

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ran(self) -> list[JobResult]:
        return [r for r in self.results if r.status != "cached"]

    @property
    def cached(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "cached"]

    def describe(self) -> str:
        """A few lines for the terminal: counts, time, and one line per failure."""
        lines = [
            f"{len(self.results)} notebooks in {self.seconds:.1f} s ({self.executor}, {self.workers} worker(s)): "
            f"{len(self.ran) - len(self.failures)} ran, {len(self.cached)} cached, {len(self.failures)} failed "
            f"→ {self.build_dir}"
        ]
        for r in self.failures:
            lines.append(f"  FAILED {r.label}: {r.error}  [{r.executed}]")
        return "\n".join(lines)


@dataclass(frozen=True)
class Settings:
    """How workers execute: the kernel to start and the per-cell timeout (seconds)."""

    kernel: KernelSpec
    timeout: int


@dataclass(frozen=True)
class Task:
    """A job with its cache key and input hashes, as sent to a worker."""

    job: Job
    key: str
    input_hashes: dict = field(default_factory=dict)
    library: str = ""  # library_fingerprint of the notebook
    prestart_next: bool = True  # launch a spare kernel for a later job


# --------------------------------------------------------------------------- cache keys


def _imported_modules(tree: ast.AST, package: str = "cppcc_study") -> set[str]:
    """Top-level modules of the package imported anywhere in ``tree`` (lazy imports in functions too)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.level == 0 and node.module and node.module.split(".")[0] == package):
                parts = (node.module or "").split(".")[0 if node.level == 1 else 1:]
                found.update([parts[0]] if parts and parts[0] else [a.name.split(".")[0] for a in node.names])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith(package + "."))
    return found


def notebook_modules(path: Path, preload: tuple[str, ...] = ()) -> list[str]:
    """The package's modules a notebook can reach: those its cells and the preload import, and theirs in turn."""
    nb = nbformat.read(path, as_version=4)
    todo = {"__init__"} | {m.split(".")[1] for m in preload if m.startswith("cppcc_study.")}
    for cell in nb.cells:
        if cell.cell_type == "code":
            try:
                todo |= _imported_modules(ast.parse(cell.source))
            except SyntaxError:  # IPython magics: not Python, and not imports of ours
                continue
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        source = paths.PACKAGE_DIR / f"{name}.py"
        if name in seen or not source.is_file():
            continue
        seen.add(name)
        todo |= _imported_modules(ast.parse(source.read_bytes())) - seen
    return sorted(seen)


def library_fingerprint(path: Path, preload: tuple[str, ...] = ()) -> str:
    """The package version, the modules the notebook can reach and the package data, hashed.

    Editing a module the notebook never imports (the report, the extraction) keeps its cache.
    """
    digest = hashlib.sha256(__version__.encode())
    files = [paths.PACKAGE_DIR / f"{m}.py" for m in notebook_modules(path, preload)]
    files += sorted(p for p in paths.PACKAGE_DIR.rglob("*")
                    if p.is_file() and p.suffix in (".yaml", ".csv") and "__pycache__" not in p.parts)
    for file in files:
        digest.update(file.relative_to(paths.PACKAGE_DIR).as_posix().encode())
        digest.update(file.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def notebook_fingerprint(path: Path) -> str:
    """Hash of a notebook's cells (type, source, tags), ignoring outputs, ids and metadata."""
    nb = nbformat.read(path, as_version=4)
    cells = [(c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", []))) for c in nb.cells]
    return inputs.combined_hash({"cells": cells})


def _portable(parameters: dict) -> dict:
    """Parameters with paths inside the project made relative, so cache keys match across machines."""
    root = str(paths.project_root()) + os.sep
    return {k: v[len(root):] if isinstance(v, str) and v.startswith(root) else v for k, v in parameters.items()}


def plan(grid: Grid) -> list[Task]:
    """Every job of the grid with its cache key (reads the panel and facts once)."""
    panel = inputs.load_panel(grid.panel)
    facts = inputs.load_facts(grid.facts)
    jobs = grid_jobs(grid, panel)
    library = {spec.name: library_fingerprint(spec.path, grid.preload) for spec in grid.notebooks}
    sources = {spec.name: notebook_fingerprint(spec.path) for spec in grid.notebooks}
    places: dict = {}
    hashed: dict[tuple[str | None, int], dict] = {}  # notebooks of one committee-year read the same rows
    tasks = []
    for job in jobs:
        run = (job.committee, job.year)
        if run not in hashed and job.committee is None:
            hashed[run] = inputs.comparison_hashes(panel, facts, job.year)
        elif run not in hashed:
            if job.year not in places:
                places[job.year] = views.peer_places(panel, job.year)
            hashed[run] = inputs.committee_year_hashes(panel, facts, places[job.year], job.committee, job.year)
        hashes = hashed[run]
        key = inputs.combined_hash({"notebook": sources[job.notebook], "parameters": _portable(job.parameters),
                                    "library": library[job.notebook], "inputs": hashes,
                                    "kernel": grid.kernel_name})
        tasks.append(Task(job, key, hashes, library[job.notebook]))
    return tasks


def is_cached(task: Task) -> bool:
    """Whether the run folder holds a successful run with the same cache key and all the files it listed."""
    try:
        stamp = json.loads((task.job.run_dir / CACHE_FILE).read_text(encoding="utf-8"))
        outputs = json.loads((task.job.run_dir / OUTPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp.get("key") != task.key or outputs.get("status") != "ok":
        return False
    listed = [f[k] for f in outputs.get("figures", []) for k in ("png", "svg")]
    listed += [t["csv"] for t in outputs.get("tables", [])]
    return all((task.job.run_dir / name).is_file() for name in listed)  # nothing deleted since


# --------------------------------------------------------------------------- one job


_POOL: KernelPool | None = None


def _kernel_pool() -> KernelPool:
    """This process's pool of pre-started kernels (shut down when the process exits)."""
    global _POOL
    if _POOL is None:
        import atexit
        from multiprocessing import util

        _POOL = KernelPool()
        atexit.register(_POOL.close)
        util.Finalize(_POOL, _POOL.close, exitpriority=10)  # dask's worker processes skip atexit
    return _POOL


def close_kernel_pool() -> None:
    """Shut down this process's spare kernels (run on dask workers at the end of a grid)."""
    if _POOL is not None:
        _POOL.close()


def _error_line(exc: BaseException) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    return (text.strip().splitlines() or [type(exc).__name__])[0]


def _swap_into_place(tmp: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}{OLD_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")
        os.rename(final, old)
    os.rename(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_json(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def execute_task(task: Task, settings: Settings) -> JobResult:
    """Execute one notebook into a temporary folder and rename it onto its run folder."""
    from papermill.exceptions import PapermillExecutionError

    from .kernels import execute, shutdown

    job, started = task.job, time.perf_counter()
    final = job.run_dir
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    recorded = {**job.parameters, "output_dir": str(final)}
    try:
        nb = nbformat.read(job.notebook_path, as_version=4)
        nb.metadata["cppcc_study"] = {"parameters": recorded, "input_hashes": task.input_hashes,
                                      "cache_key": task.key, "library": task.library}
        km = _kernel_pool().take(settings.kernel, prestart_next=task.prestart_next)
        try:
            execute(nb, tmp / f"{job.notebook}.ipynb", {**job.parameters, "output_dir": str(tmp)}, km,
                    timeout=settings.timeout)
            status, error = "ok", ""
        except PapermillExecutionError as exc:
            status, error = "failed", _error_line(exc)
        except Exception as exc:  # a dead kernel, a timeout: still one job's failure, not the grid's
            status, error = "failed", _error_line(exc)
        finally:
            shutdown(km)
        outputs = tmp / OUTPUTS_FILE
        if status == "ok" and not outputs.is_file():
            status, error = "failed", f"the notebook wrote no {OUTPUTS_FILE}"
        if status == "ok":
            _write_json(tmp / CACHE_FILE, {"key": task.key, "input_hashes": task.input_hashes,
                                           "parameters": recorded, "library": task.library})
        else:
            _write_json(outputs, {"notebook": job.notebook, "committee": job.committee, "year": job.year,
                                  "parameters": {k: v for k, v in recorded.items() if k != "output_dir"},
                                  "input_hashes": task.input_hashes, "status": "failed", "error": error,
                                  "executed_notebook": f"{job.notebook}.ipynb", "figures": [], "tables": []})
        _swap_into_place(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return JobResult(job.notebook, job.committee, job.year, status, time.perf_counter() - started, final, error)


def execute_task_in_thread(task: Task, settings: Settings) -> JobResult:
    """``execute_task`` from a worker thread, closing the event loop nbclient left in that thread."""
    import asyncio
    import threading

    try:
        return execute_task(task, settings)
    finally:
        if threading.current_thread() is not threading.main_thread():
            loop = asyncio.get_event_loop_policy().get_event_loop()
            if not loop.is_running():
                loop.close()
                asyncio.set_event_loop(None)


# --------------------------------------------------------------------------- executors


def _run_inline(tasks: list[Task], settings: Settings) -> Iterator[JobResult]:
    try:
        for task in tasks:
            yield execute_task(task, settings)
    finally:
        close_kernel_pool()


def _run_threads(tasks: list[Task], settings: Settings, workers: int) -> Iterator[JobResult]:
    from concurrent.futures import ThreadPoolExecutor, as_completed

    # Threads suffice: the work happens in the kernel processes; a thread only drives one.
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    try:
        futures = [pool.submit(execute_task_in_thread, task, settings) for task in tasks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        # On Ctrl-C: jobs not started are dropped, running ones finish and land whole.
        pool.shutdown(wait=True, cancel_futures=True)
        close_kernel_pool()


def _run_dask(tasks: list[Task], settings: Settings, workers: int, scheduler: str | None) -> Iterator[JobResult]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(execute_task_in_thread, task, settings, pure=False,
                                               key=f"notebook-{task.key[:16]}-{uuid.uuid4().hex[:8]}")
                                 for task in tasks]
        for future in as_completed(futures):
            yield future.result()
        client.run(close_kernel_pool)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _remove_leftovers(build: Path) -> None:
    """Remove temporary folders of earlier runs that were killed (their process is gone)."""
    for folder in list(build.glob(f"*/.*{TMP_MARK}*")) + list(build.glob(f"*/.*{OLD_MARK}*")):
        mark = TMP_MARK if TMP_MARK in folder.name else OLD_MARK
        pid = folder.name.rsplit(mark, 1)[1].split("-", 1)[0]
        try:
            os.kill(int(pid), 0)
            continue  # its run is still going
        except (ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)


def run_grid(
    params_file: Path | None = None,
    jobs: int | None = None,
    executor: Executor = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
    on_result: Callable[[JobResult], None] | None = None,
) -> RunSummary:
    """Execute every job of the grid file that is not cached; see the module docstring."""
    from tqdm.auto import tqdm

    from .errors import ParameterError

    if jobs is not None and jobs < 1:
        raise ParameterError(f"-j/--jobs must be at least 1, got {jobs}")
    if scheduler and executor != "dask":
        raise ParameterError("--scheduler needs --executor dask")
    started = time.perf_counter()
    grid = load_grid(params_file)
    workers = jobs or os.cpu_count() or 1
    tasks = plan(grid)
    build = paths.build_dir()
    _remove_leftovers(build)
    # Keyed by run folder: two grid entries of one notebook file can share a cache key, never a folder.
    done = {} if force else {t.job.run_dir: t for t in tasks if is_cached(t)}
    todo = [t for t in tasks if t.job.run_dir not in done]
    # The last `workers` jobs need no spare kernel behind them.
    todo = [replace(t, prestart_next=i < len(todo) - workers) for i, t in enumerate(todo)]
    settings = Settings(
        kernel=KernelSpec(grid.kernel_name, grid.preload, str(paths.project_root()),
                          (("CPPCC_STUDY_ROOT", str(paths.project_root())),)),
        timeout=grid.timeout,
    )
    results: dict[Path, JobResult] = {
        t.job.run_dir: JobResult(t.job.notebook, t.job.committee, t.job.year, "cached", 0.0, t.job.run_dir)
        for t in done.values()
    }
    if not todo:
        stream: Iterable[JobResult] = ()
    elif executor == "dask":
        stream = _run_dask(todo, settings, workers, scheduler)
    elif workers == 1 or len(todo) == 1:
        stream = _run_inline(todo, settings)
    else:
        stream = _run_threads(todo, settings, min(workers, len(todo)))
    bar = tqdm(total=len(tasks), initial=len(done), unit="nb", desc="notebooks", disable=not progress,
               dynamic_ncols=True)
    failed = 0
    try:
        for result in stream:
            results[result.run_dir] = result
            failed += result.status == "failed"
            bar.set_postfix_str(f"{failed} failed" if failed else "", refresh=False)
            bar.update()
            if on_result:
                on_result(result)
    finally:
        bar.close()
        close = getattr(stream, "close", None)
        if close:
            close()
    return RunSummary(tuple(results[t.job.run_dir] for t in tasks), time.perf_counter() - started, build, executor, workers)
