"""Seconds per notebook for the notebook grid, with the kernel start as the floor.

A grid of 10 committees × 4 years (40 committee-year notebooks + 4 year comparisons) on
generated data, executed four ways:

  (a) a plain papermill loop (one cold kernel a notebook, one after another)
  (b) cppcc-study run -j 1   (pre-started kernels: the next one boots while this one runs)
  (c) cppcc-study run -j 2
  (d) cppcc-study run, everything cached

Targets: (b) <= (a); (a)/(c) >= 1.7 on 2 cores; (d) < 2% of (a). A script that prints
figures, not a test: the numbers depend on the machine and on what else runs on it.

    python benchmarks/grid_speed.py [--committees 10] [--years 4] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_project(root: Path, committees: int, years: int) -> None:
    from cppcc_study import synthetic

    (root / "params").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'grid-speed'\n", encoding="utf-8")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copy(REPO / "params" / "grid.yaml", root / "params" / "grid.yaml")
    synthetic.write_demo_inputs(root / "data" / "processed", committees=committees,
                                years=tuple(range(2023 - years, 2023)))


def kernel_start_seconds(n: int = 3, preload: tuple[str, ...] = ()) -> float:
    """Mean seconds from launching a kernel to its first reply (after ``preload`` imports)."""
    from cppcc_study.kernels import KernelSpec, shutdown

    spec = KernelSpec(preload=preload)
    total = 0.0
    for _ in range(n):
        start = time.perf_counter()
        km = spec.start()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        total += time.perf_counter() - start
        kc.stop_channels()
        shutdown(km)
    return total / n


def papermill_loop(root: Path) -> tuple[float, int]:
    """(a): every job of the grid through ``papermill.execute_notebook``, one after another."""
    import papermill

    from cppcc_study.grid import grid_jobs, load_grid
    from cppcc_study.inputs import load_panel

    grid = load_grid()
    jobs = grid_jobs(grid, load_panel(grid.panel))
    scratch = root / "plain"
    start = time.perf_counter()
    for n, job in enumerate(jobs):
        out = scratch / f"{n:03d}"
        out.mkdir(parents=True)
        papermill.execute_notebook(str(job.notebook_path), str(out / "executed.ipynb"),
                                   parameters={**job.parameters, "output_dir": str(out)},
                                   kernel_name="python3", progress_bar=False)
    return time.perf_counter() - start, len(jobs)


def grid_run(jobs: int, force: bool) -> tuple[float, int, int]:
    from cppcc_study.runner import run_grid

    summary = run_grid(jobs=jobs, force=force, progress=False)
    if summary.failures:
        sys.exit(summary.describe())
    return summary.seconds, len(summary.results), len(summary.ran)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=10, help="generated committees (at most 10)")
    parser.add_argument("--years", type=int, default=4, help="years per committee")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="grid-speed-"))
    if root.exists() and any(root.iterdir()):
        sys.exit(f"{root}: choose an empty folder")
    os.environ["CPPCC_STUDY_ROOT"] = str(root)
    make_project(root, args.committees, args.years)
    from cppcc_study.grid import load_grid

    preload = load_grid().preload
    try:
        floor = kernel_start_seconds()
        floor_warm = kernel_start_seconds(preload=preload)
        a, n = papermill_loop(root)
        b, _, ran_b = grid_run(1, force=True)
        c, _, ran_c = grid_run(2, force=True)
        d, _, ran_d = grid_run(2, force=False)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    per = {k: v / n for k, v in {"a": a, "b": b, "c": c, "d": d}.items()}
    print(f"grid: {n} notebooks ({args.committees} committees × {args.years} years + comparisons), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"floor  kernel start (cold)                  {floor:6.2f} s")
    print(f"       kernel start + preload               {floor_warm:6.2f} s  ({', '.join(preload)})")
    print(f"(a) plain papermill loop                    {per['a']:6.2f} s/notebook  ({a:.1f} s)")
    print(f"(b) run -j 1 ({ran_b} ran)                     {per['b']:6.2f} s/notebook  ({b:.1f} s)  "
          f"b/a = {b / a:.2f}  target <= 1.00  {'ok' if b <= a else 'MISSED'}")
    print(f"(c) run -j 2 ({ran_c} ran)                     {per['c']:6.2f} s/notebook  ({c:.1f} s)  "
          f"a/c = {a / c:.2f}  target >= 1.70  {'ok' if a / c >= 1.7 else 'MISSED'}")
    print(f"(d) run, cached ({ran_d} ran)                   {per['d']:6.3f} s/notebook  ({d:.2f} s)  "
          f"d/a = {100 * d / a:.2f}%  target < 2%  {'ok' if d / a < 0.02 else 'MISSED'}")


if __name__ == "__main__":
    main()
