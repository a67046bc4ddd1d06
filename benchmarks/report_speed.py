"""Report build time for one year with 300 generated committees (both formats, one language).

Usage: ``python benchmarks/report_speed.py [--committees 300] [--lang zh] [--engine pandoc]``.
The data are the test fixture's, scaled up: every committee has a committee_year run with a
funnel figure (one SVG, copied) and a table. Prints the seconds per stage and fails (exit 1)
when the whole build takes longer than the floor below.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cppcc_study.report import build_report  # noqa: E402
from report_fixtures import _figure, generated_committees, write_report_fixture  # noqa: E402

YEAR = 2022
FLOOR_SECONDS = 300  # a 300-committee year (HTML + PDF, one language) must build within 5 minutes


def _add_figures(root: Path) -> None:
    """Give every committee_year run the same funnel SVG (drawing 300 figures is not what we time)."""
    build = root / "reports" / "build" / str(YEAR)
    folder = root / "sample-figure"
    folder.mkdir()
    sample = folder / _figure(folder / "funnel", "bar", ["收到", "立案", "办复", "采纳"], [900, 800, 800, 600])["svg"]
    for run in build.iterdir():
        outputs = json.loads((run / "outputs.json").read_text(encoding="utf-8"))
        if outputs["notebook"] != "committee_year":
            continue
        shutil.copy(sample, run / "funnel.svg")
        outputs["figures"] = [{"key": "funnel", "svg": "funnel.svg", "caption_zh": "提案漏斗",
                               "caption_en": "Proposal funnel"}]
        (run / "outputs.json").write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=300)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--engine", choices=["auto", "quarto", "pandoc"], default="pandoc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cppcc-report-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        write_report_fixture(root, committees=generated_committees(args.committees), figures=False)
        _add_figures(root)
        t1 = time.perf_counter()
        timings = {}
        for fmt in ("html", "pdf"):
            start = time.perf_counter()
            [path] = build_report(YEAR, args.lang, [fmt], engine=args.engine, root=root)
            timings[fmt] = (time.perf_counter() - start, path.stat().st_size)
    total = sum(t for t, _ in timings.values())
    print(f"report_speed: {args.committees} committees, lang {args.lang}, engine {args.engine} "
          f"(data set-up {t1 - t0:.1f} s, not counted)")
    for fmt, (seconds, size) in timings.items():
        print(f"  {fmt:4s} {seconds:6.1f} s  ({size / 1e6:.1f} MB, source generation included)")
    print(f"  total {total:.1f} s (floor {FLOOR_SECONDS} s)")
    return 0 if total <= FLOOR_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
