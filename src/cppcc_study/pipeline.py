"""``build``: extract → panel → run → report, in order, for every year of the panel.

A stage whose inputs partly fail (a document that cannot be read, a notebook that errors)
records the failures and the build goes on; a stage that fails as a whole stops only the
stages that need its output. The build ends by writing ``reports/build/manifest.json``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import CppccStudyError

STAGES = ("extract", "panel", "run", "report")
REPORT_LANGS = ("zh", "en")


@dataclass(frozen=True)
class StageFailure:
    """One input of one stage that failed: ``item`` names the file, run or year."""

    stage: str
    item: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.stage}] {self.item}: {self.problem}"


@dataclass(frozen=True)
class StageResult:
    """What a stage did: ``seconds`` of wall time, a one-line ``summary``, the files it wrote."""

    stage: str
    status: str  # ok | partial | failed | skipped
    seconds: float
    summary: str
    outputs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class BuildOutcome:
    """The result of ``build``: per-stage results, the failures, the reports and the manifest."""

    corpus: Path
    stages: tuple[StageResult, ...]
    failures: tuple[StageFailure, ...]
    years: tuple[int, ...]
    reports: tuple[Path, ...]
    manifest: Path | None = None
    log: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.failures

    def describe(self) -> str:
        lines = [f"build of {self.corpus}:"]
        for s in self.stages:
            lines.append(f"  {s.stage:<8} {s.status:<8} {s.seconds:7.1f}s  {s.summary}")
        if self.failures:
            lines.append(f"{len(self.failures)} failure(s):")
            lines += [f"  {f}" for f in self.failures]
        if self.reports:
            folders = sorted({str(p.parent) for p in self.reports})
            lines.append(f"{len(self.reports)} report file(s) for {', '.join(map(str, self.years))} in:")
            lines += [f"  {folder}" for folder in folders]
        else:
            lines.append("no reports were written")
        if self.manifest:
            lines.append(f"manifest: {self.manifest}")
        return "\n".join(lines)


def _failures_of(stage: str, items: object) -> list[StageFailure]:
    """Turn a stage's own failure records (InputErrors, job results, pairs) into StageFailures."""
    out = []
    for item in list(items or []):
        if isinstance(item, tuple) and len(item) == 2:
            name, problem = item
        else:
            name = next((getattr(item, a) for a in ("path", "label", "item") if getattr(item, a, None)), "-")
            problem = next((getattr(item, a) for a in ("problem", "error") if getattr(item, a, None)), item)
            if getattr(item, "run_dir", None):
                name = f"{name} ({item.run_dir})"
        out.append(StageFailure(stage, str(name), str(problem)))
    return out


def _report_years(panel: object) -> list[int]:
    """Years with at least one committee-year row in the panel."""
    years = getattr(panel, "get", lambda *_: None)("year")
    if years is None:
        return []
    return sorted({int(y) for y in years.dropna()})


def build(
    corpus: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    formats: Sequence[str] = ("html", "pdf"),
    argv: Sequence[str] | None = None,
) -> BuildOutcome:
    """Run every stage on ``corpus`` (default: the demo corpus) and write the manifest."""
    from . import manifest

    corpus = Path(corpus) if corpus else paths.demo_corpus()
    argv = list(argv) if argv is not None else ["cppcc-study", *sys.argv[1:]]
    started = manifest.utc_now()
    stages: list[StageResult] = []
    failures: list[StageFailure] = []
    log: list[str] = []
    years: list[int] = []
    reports: list[Path] = []

    def run_stage(name: str, body) -> bool:
        t0 = time.perf_counter()
        try:
            status, summary, outputs = body()
        except CppccStudyError as exc:
            failures.append(StageFailure(name, "stage", str(exc)))
            stages.append(StageResult(name, "failed", time.perf_counter() - t0, str(exc).splitlines()[0]))
            return False
        stages.append(StageResult(name, status, time.perf_counter() - t0, summary, tuple(outputs)))
        return True

    def extract_stage():
        from .extract import extract_corpus_to_file

        curation = paths.curation_file()
        result = extract_corpus_to_file(
            corpus, paths.facts_file(), curation=curation if curation.is_file() else None, progress=progress
        )
        log.extend(result.log)
        bad = _failures_of("extract", result.failures)
        failures.extend(bad)
        summary = f"{len(result.facts)} facts from {result.n_documents} documents → {paths.facts_file()}"
        return ("partial" if bad else "ok"), summary, [paths.facts_file()]

    def panel_stage():
        from .panel import build_panel_to_file, n_conflicting_figures

        result = build_panel_to_file(paths.facts_file(), paths.panel_file())
        years.extend(_report_years(result.panel))
        n = n_conflicting_figures(result.conflicts)
        summary = (f"{len(result.panel)} committee-years, {n} conflicting figure{'' if n == 1 else 's'}, "
                   f"years {', '.join(map(str, years)) or 'none'} → {paths.panel_file()}")
        return "ok", summary, list(getattr(result, "written", ()) or [paths.panel_file()])

    def run_stage_body():
        from .runner import run_grid

        summary = run_grid(params_file=None, jobs=jobs, executor="local", scheduler=None, force=force,
                           progress=progress)
        bad = _failures_of("run", summary.failures)
        failures.extend(bad)
        return ("partial" if bad else "ok"), summary.describe().splitlines()[0], [paths.build_dir()]

    def report_stage():
        from .report import build_report

        bad = 0
        for year in years:
            for lang in REPORT_LANGS:
                try:
                    reports.extend(build_report(year=year, lang=lang, formats=list(formats), engine="auto"))
                except CppccStudyError as exc:
                    bad += 1
                    failures.append(StageFailure("report", f"{year} ({lang})", str(exc).splitlines()[0]))
        status = "ok" if not bad else ("partial" if reports else "failed")
        summary = f"{len(reports)} files for {len(years)} year(s)" + (f", {bad} failed" if bad else "")
        return status, summary, reports

    def skipped(name: str, why: str) -> None:
        stages.append(StageResult(name, "skipped", 0.0, why))

    if run_stage("extract", extract_stage):
        if run_stage("panel", panel_stage):
            run_stage("run", run_stage_body)  # the report shows what the runs produced, even if some failed
            if years:
                run_stage("report", report_stage)
            else:
                skipped("report", "the panel has no committee-years")
        else:
            skipped("run", "no panel")
            skipped("report", "no panel")
    else:
        for name in STAGES[1:]:
            skipped(name, "no facts")

    manifest_path = manifest.write_build_manifest(
        corpus=corpus,
        argv=argv,
        started=started,
        formats=list(formats),
        stages={s.stage: {"status": s.status, "seconds": round(s.seconds, 3), "summary": s.summary}
                for s in stages},
        failures=[str(f) for f in failures],
    )
    return BuildOutcome(
        corpus=corpus,
        stages=tuple(stages),
        failures=tuple(failures),
        years=tuple(years),
        reports=tuple(reports),
        manifest=manifest_path,
        log=tuple(log),
    )
