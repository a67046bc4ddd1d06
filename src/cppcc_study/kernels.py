"""Pre-started Jupyter kernels, so a notebook does not wait for its kernel to boot.

While one notebook runs, the next kernel is launched and imports the heavy modules
(``preload``) in its own process. Each kernel still serves exactly one notebook and is
shut down afterwards: notebooks share no state, only the head start. ``execute`` runs
papermill with such a kernel through the ``cppcc-prestarted`` engine.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import papermill
from jupyter_client import KernelManager
from jupyter_core.paths import jupyter_runtime_dir
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE = "cppcc-prestarted"


@dataclass(frozen=True)
class KernelSpec:
    """How to start a kernel: Jupyter kernel name, modules imported before it is handed out, cwd, env."""

    name: str = "python3"
    preload: tuple[str, ...] = ()
    cwd: str = ""
    env: tuple[tuple[str, str], ...] = ()

    def start(self) -> KernelManager:
        """Launch a kernel process (returns at once; the kernel boots and preloads in the background)."""
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        name = f"cppcc-{uuid.uuid4().hex[:16]}"
        # Local ipc sockets (beside the connection file) rather than TCP: private, and no port races.
        km = KernelManager(kernel_name=self.name, transport="ipc", ip=str(runtime / name),
                           connection_file=str(runtime / f"{name}.json"))
        extra = []
        if self.preload:
            # Import, then drop the names: the notebook's namespace starts empty as in a cold kernel.
            roots = sorted({m.split(".")[0] for m in self.preload})
            line = f"import {', '.join(self.preload)}; del {', '.join(roots)}"
            extra = [f"--IPKernelApp.exec_lines={[line]!r}"]
        env = {**os.environ, **dict(self.env)}
        km.start_kernel(extra_arguments=extra, cwd=self.cwd or os.getcwd(), env=env)
        return km


class KernelPool:
    """Spare kernels per spec (thread-safe): ``take`` hands out the oldest and launches a new one."""

    def __init__(self) -> None:
        self._spares: dict[KernelSpec, list[KernelManager]] = {}
        self._lock = threading.Lock()

    def take(self, spec: KernelSpec, prestart_next: bool = True) -> KernelManager:
        """A started kernel for one notebook (the caller shuts it down); optionally start the next."""
        with self._lock:
            queue = self._spares.setdefault(spec, [])
            km = queue.pop(0) if queue else None
        if km is None or not km.is_alive():
            km = spec.start()
        if prestart_next:
            spare = spec.start()
            with self._lock:
                self._spares.setdefault(spec, []).append(spare)
        return km

    def close(self) -> None:
        """Shut down every spare kernel."""
        with self._lock:
            spares = [km for queue in self._spares.values() for km in queue]
            self._spares = {}
        for km in spares:
            shutdown(km)


def shutdown(km: KernelManager) -> None:
    """Stop a kernel at once and remove its connection files."""
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    finally:
        km.cleanup_resources()


class _OwningClient(PapermillNotebookClient):
    """A papermill client that shuts down the kernel it was handed, as if it had started it."""

    def __init__(self, nb_man, km=None, **kw):
        super().__init__(nb_man, km=km, **kw)
        self.owns_km = True


class PrestartedEngine(NBClientEngine):
    """papermill's nbclient engine, executing on a kernel passed as ``km``."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            shutdown_kernel="immediate",
        )
        return _OwningClient(nb_man, **final_kwargs).execute()


papermill_engines.register(ENGINE, PrestartedEngine)


def execute(nb, output_path: Path, parameters: dict, km: KernelManager, timeout: int | None = None):
    """Execute a notebook (a path or NotebookNode) on the started kernel ``km`` with papermill."""
    return papermill.execute_notebook(
        nb, str(output_path), parameters=parameters, engine_name=ENGINE, km=km,
        kernel_name=km.kernel_name, progress_bar=False, request_save_on_cell_execute=False,
        execution_timeout=timeout,
    )
