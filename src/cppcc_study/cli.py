"""The ``cppcc-study`` command line.

Commands (each has ``--help``): extract, panel, run, report, build, verify, export.
Exit codes: 0 success, 1 some inputs failed (the rest was done), 2 usage error.
Errors are one line naming the file and the problem; ``--verbose`` adds the traceback.

The CLI only parses arguments and prints; the work happens in the modules it calls.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import CppccStudyError
from .manifest import record_stage

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_corpus_to_file

    result = extract_corpus_to_file(
        Path(args.corpus),
        Path(args.output),
        curation=Path(args.curation) if args.curation else None,
        use_curation=not args.no_curation,
        progress=not args.quiet,
        jobs=args.jobs,
    )
    from .paths import CODEBOOK_FILE, curation_file

    curation = [] if args.no_curation else [Path(args.curation) if args.curation else curation_file()]
    record_stage("extract", [Path(args.corpus), CODEBOOK_FILE, *curation],
                 [Path(args.output), Path(args.output).with_suffix(".parquet")])
    for line in result.log:
        print(line, file=sys.stderr)
    print(f"{len(result.facts)} facts from {result.n_documents} documents → {args.output}")
    return EXIT_SOME_FAILED if result.failures else EXIT_OK


def _cmd_panel(args: argparse.Namespace) -> int:
    from .panel import build_panel_to_file, n_conflicting_figures

    result = build_panel_to_file(
        Path(args.facts),
        Path(args.output),
        conflicts=Path(args.conflicts) if args.conflicts else None,
        to_stata=args.to_stata,
    )
    record_stage("panel", [Path(args.facts)], list(result.written))
    n_conflicts = n_conflicting_figures(result.conflicts)
    print(
        f"{len(result.panel)} committee-years, {n_conflicts} conflicting figure{'' if n_conflicts == 1 else 's'}"
        f" → {args.output}"
        + (f" (conflicts: {result.conflicts_path})" if result.conflicts_path else "")
    )
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from .runner import run_grid

    summary = run_grid(
        params_file=Path(args.params) if args.params else None,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        force=args.force,
        progress=not args.quiet,
    )
    from .paths import facts_file, notebooks_dir, panel_file, params_dir

    record_stage("run", [Path(args.params) if args.params else params_dir() / "grid.yaml", notebooks_dir(),
                         panel_file(), facts_file()], [summary.build_dir])
    print(summary.describe())
    return EXIT_SOME_FAILED if summary.failures else EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report

    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    langs = ["zh", "en"] if args.lang == "all" else [args.lang]
    written = []
    for lang in langs:
        written += build_report(year=args.year, lang=lang, formats=formats, engine=args.engine)
    from .paths import build_dir, facts_file, panel_file

    record_stage("report", [panel_file(), facts_file(), build_dir() / str(args.year)], written)
    for path in written:
        print(path)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    outcome = build(
        corpus=Path(args.corpus) if args.corpus else None,
        jobs=args.jobs,
        force=args.force,
        progress=not args.quiet,
        formats=[f.strip() for f in args.to.split(",") if f.strip()],
    )
    print(outcome.describe())
    return EXIT_SOME_FAILED if outcome.failures else EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from .manifest import verify

    report = verify(Path(args.manifest) if args.manifest else None)
    print(report.describe())
    return EXIT_OK if report.ok else EXIT_SOME_FAILED


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    written = export(to=args.to, output_dir=Path(args.output) if args.output else None)
    for path in written:
        print(path)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cppcc-study",
        description="CPPCC work reports → indicator facts → committee-year panel → annual comparison reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks with errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("extract", help="documents → indicator facts (CSV and Parquet)")
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt/.html/.htm/.md documents (optional metadata.csv)")
    p.add_argument("-o", "--output", required=True, metavar="FACTS.csv", help="facts file to write (.parquet beside it)")
    p.add_argument("--curation", metavar="CSV", help="overrides file (default: data/curation/overrides.csv if present)")
    p.add_argument("--no-curation", action="store_true", help="do not apply any curation overrides")
    p.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                   help="documents extracted in N processes (default 1; the facts are the same)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("panel", help="facts → committee-year panel with rates")
    p.add_argument("facts", metavar="FACTS.csv")
    p.add_argument("-o", "--output", required=True, metavar="PANEL.csv", help="panel file to write (.parquet beside it)")
    p.add_argument("--conflicts", metavar="CSV", help="where to list conflicting facts (default: beside the panel)")
    p.add_argument("--to-stata", action="store_true", help="also write a labelled Stata .dta")
    p.set_defaults(func=_cmd_panel)

    p = sub.add_parser("run", help="execute the notebook grid with papermill")
    p.add_argument("--params", metavar="FILE", help="grid file (default: params/grid.yaml)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel notebooks (default: number of cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask.distributed scheduler address (with --executor dask)")
    p.add_argument("--force", action="store_true", help="re-run notebooks even when cached")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("report", help="render the annual comparison report")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--lang", choices=["zh", "en", "all"], default="zh")
    p.add_argument("--to", default="html,pdf", help="comma-separated formats: html, pdf")
    p.add_argument("--engine", choices=["auto", "quarto", "pandoc"], default="auto",
                   help="auto: quarto when on PATH, else pandoc + Typst")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("build", help="extract → panel → run → report, for every report year")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/raw/demo)")
    p.add_argument("-j", "--jobs", type=int, default=None)
    p.add_argument("--force", action="store_true")
    p.add_argument("--to", default="html,pdf")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("verify", help="re-run a build and compare its hashes with a manifest")
    p.add_argument("manifest", nargs="?", metavar="MANIFEST", help="default: reports/build/manifest.json")
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("export", help="export facts and panel with the data dictionary")
    p.add_argument("--to", choices=["csv", "parquet", "stata", "excel"], required=True)
    p.add_argument("-o", "--output", metavar="DIR", help="default: data/processed/export/")
    p.set_defaults(func=_cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CppccStudyError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"cppcc-study {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print(f"cppcc-study {args.command}: interrupted; finished outputs are kept, nothing half-written.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
