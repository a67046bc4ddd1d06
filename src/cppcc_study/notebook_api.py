"""What the notebooks call: check their parameters, load inputs, save figures and tables, write outputs.json.

A notebook's second cell is ``run = notebook_api.start("<its grid name>", **parameters)``;
its last is ``run.finish()``. A run with a ``committee`` is a committee-year run, one without
is a year run. The outputs contract (``reports/build/<year>/<run>/outputs.json``) and the
run folder names (``paths.run_folder_name``) are described in docs/design.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from . import __version__, inputs, paths, plots, views
from .errors import ParameterError

#: The built-in notebooks and their kind; any other grid notebook may run either way.
PER_COMMITTEE, PER_YEAR = paths.COMMITTEE_NOTEBOOK, paths.YEAR_NOTEBOOK
Lang = Literal["zh", "en"]
OUTPUTS_FILE = "outputs.json"


@dataclass
class Run:
    """One notebook run: its checked parameters, its inputs, and what it has written so far."""

    notebook: str
    committee: str | None
    year: int
    parameters: dict
    panel: pd.DataFrame
    facts: pd.DataFrame
    output_dir: Path
    lang: Lang = "zh"
    dpi: int = plots.PNG_DPI
    figures: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)

    def text(self, zh: str, en: str) -> str:
        """The Chinese or English wording, by the run's ``lang``."""
        return zh if self.lang == "zh" else en

    def save_figure(self, key: str, fig, caption_zh: str, caption_en: str):
        """Write the figure as PNG and SVG into the run folder, record it, and return the PNG for display."""
        from IPython.display import Image

        png, svg = plots.save_figure(fig, self.output_dir, key, dpi=self.dpi)
        self.figures.append({"key": key, "png": png.name, "svg": svg.name,
                             "caption_zh": caption_zh, "caption_en": caption_en})
        # Showing the saved file, not the figure: no second rendering, and the notebook shows what was written.
        return Image(filename=str(png), width=640)

    def save_table(self, key: str, table: pd.DataFrame, title_zh: str, title_en: str) -> pd.DataFrame:
        """Write the table as CSV (UTF-8) into the run folder, record it, and return it for display."""
        path = self.output_dir / f"{key}.csv"
        table.to_csv(path, index=False, encoding="utf-8", float_format="%.6g")
        self.tables.append({"key": key, "csv": path.name, "title_zh": title_zh, "title_en": title_en})
        return table

    def input_hashes(self) -> dict[str, str]:
        """Hashes of the panel and facts rows this run depends on (the runner's cache uses the same)."""
        if self.committee is None:
            return inputs.comparison_hashes(self.panel, self.facts, self.year)
        places = views.peer_places(self.panel, self.year)
        return inputs.committee_year_hashes(self.panel, self.facts, places, self.committee, self.year)

    def finish(self) -> Path:
        """Write outputs.json (status ok) listing every figure and table; return its path."""
        record = {
            "notebook": self.notebook,
            "committee": self.committee,
            "year": self.year,
            "parameters": {k: v for k, v in self.parameters.items() if k != "output_dir"},
            "input_hashes": self.input_hashes(),
            "library_version": __version__,
            "status": "ok",
            "figures": self.figures,
            "tables": self.tables,
        }
        target = self.output_dir / OUTPUTS_FILE
        paths.write_text_atomic(target, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        target.chmod(0o644)
        return target


def _check_type(name: str, value, kind: type) -> None:
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise ParameterError(f"parameter {name}={value!r}: expected {kind.__name__}, got {type(value).__name__}")


def start(
    notebook: str,
    *,
    year: int,
    committee: str | None = None,
    panel_path: str = "",
    facts_path: str = "",
    output_dir: str = "",
    lang: Lang = "zh",
    dpi: int = plots.PNG_DPI,
    rate: str | None = None,
) -> Run:
    """Check a notebook's parameters against the panel and return its Run; ParameterError says what is wrong.

    ``notebook`` is the notebook's name in ``params/grid.yaml``. A ``committee`` makes a
    committee-year run (a grid entry with ``per: committee`` passes one), None a year run
    (``per: year``); ``committee_year`` needs a committee and ``year_comparison`` takes none.
    Empty paths mean the project defaults (``paths.panel_file()``, ``paths.facts_file()``,
    ``paths.run_dir(year, committee, notebook)``).
    """
    if not isinstance(notebook, str) or not paths.NOTEBOOK_NAME.fullmatch(notebook):
        raise ParameterError(f"notebook {notebook!r}: give the notebook's name in params/grid.yaml "
                             "(letters, digits and underscores)")
    _check_type("year", year, int)
    _check_type("dpi", dpi, int)
    if lang not in ("zh", "en"):
        raise ParameterError(f"parameter lang={lang!r}: expected 'zh' or 'en'")
    if dpi < 200:
        raise ParameterError(f"parameter dpi={dpi}: figures need at least 200 dpi")
    if rate is not None and rate not in views.RATE_SPECS:
        raise ParameterError(f"parameter rate={rate!r}: expected one of {', '.join(views.RATE_SPECS)}")
    if notebook == PER_YEAR and committee is not None:
        raise ParameterError(f"parameter committee={committee!r}: {notebook} runs per year and takes no committee")
    if (notebook == PER_COMMITTEE or committee is not None) and (not isinstance(committee, str)
                                                                 or not committee.strip()):
        raise ParameterError(f"parameter committee={committee!r}: give a committee name as in the panel"
                             + ("" if notebook == PER_COMMITTEE else ", or None for a notebook run per year"))
    panel_file = Path(panel_path) if panel_path else paths.panel_file()
    facts_file = Path(facts_path) if facts_path else paths.facts_file()
    panel = inputs.load_panel(panel_file)
    facts = inputs.load_facts(facts_file)
    years = sorted(int(y) for y in panel["year"].unique())
    if year not in years:
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        raise ParameterError(f"parameter year={year}: not in the panel {panel_file} ({span})")
    if committee is not None:
        in_year = panel.loc[panel["year"] == year, "committee"]
        if committee not in set(panel["committee"]):
            raise ParameterError(f"parameter committee={committee!r}: not in the panel {panel_file}")
        if committee not in set(in_year):
            raise ParameterError(f"parameter committee={committee!r}: no row for {year} in the panel {panel_file}")
    out = Path(output_dir) if output_dir else paths.run_dir(year, committee, notebook)
    out.mkdir(parents=True, exist_ok=True)
    parameters = {"committee": committee, "year": year, "panel_path": str(panel_file),
                  "facts_path": str(facts_file), "output_dir": str(out), "lang": lang, "dpi": dpi}
    if committee is None:
        parameters.pop("committee")
    if rate is not None:
        parameters["rate"] = rate
    return Run(notebook=notebook, committee=committee, year=year, parameters=parameters, panel=panel,
               facts=facts, output_dir=out, lang=lang, dpi=dpi)


def read_outputs(run_dir: str | Path) -> dict:
    """The outputs.json of a run folder (for the report); InputError when missing or unreadable."""
    from .errors import InputError

    path = Path(run_dir) / OUTPUTS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read run outputs: {exc}") from exc


def _labels(run: Run, keys) -> dict[str, str]:
    return {k: views.label(k, run.lang) for k in keys}


def funnel_figure(run: Run, view: views.CommitteeYearView):
    """Save and return the proposal funnel of a committee-year."""
    names = _labels(run, view.funnel.index)
    fig = plots.funnel({names[k]: v for k, v in view.funnel.items()},
                       title=run.text(f"{view.committee} {view.year} 年提案办理", f"{view.committee} {view.year}: proposals"))
    return run.save_figure("funnel", fig, f"{view.committee}{view.year}年提案从收到到采纳的数量。",
                           f"Proposals of {view.committee} in {view.year}, from received to adopted.")


def peer_rates_figure(run: Run, view: views.CommitteeYearView, rate: str = "rate.adoption_handled"):
    """Save and return one rate of the committee among its same-level peers, with 95% intervals."""
    peers = view.peers.dropna(subset=[rate])
    name = views.label(rate, run.lang)
    fig = plots.rates_with_intervals(list(peers["committee"]), peers[rate], peers[f"{rate}__lo"],
                                     peers[f"{rate}__hi"], highlight=view.committee,
                                     title=run.text(f"{view.year} 年同级政协{name}", f"{name}, same-level peers, {view.year}"))
    key = "peers_" + rate.split(".", 1)[1]
    return run.save_figure(key, fig, f"{view.year}年同级政协{views.label(rate)}（95% Wilson 区间），{view.committee}以红色标出。",
                           f"{views.label(rate, 'en')} of same-level committees in {view.year} (95% Wilson "
                           f"intervals); {view.committee} in red.")


def trend_figure(run: Run, view: views.CommitteeYearView):
    """Save and return the committee's rates over the years up to this one, with intervals."""
    hist = view.history
    keys = [k for k in views.RATE_SPECS if k in hist.columns and hist[k].notna().any()]
    names = _labels(run, keys)
    fig = plots.trends(list(hist["year"]), {names[k]: hist[k] for k in keys},
                       {names[k]: (hist[f"{k}__lo"], hist[f"{k}__hi"]) for k in keys},
                       title=run.text(f"{view.committee} 历年比率", f"{view.committee}: rates by year"))
    return run.save_figure("trends", fig, f"{view.committee}历年立案率、办复率与采纳率（阴影为 95% 区间）。",
                           f"Rates of {view.committee} by year (shaded: 95% intervals).")


def ranking_figure(run: Run, comparison: views.ComparisonView, rate: str = "rate.adoption_handled"):
    """Save and return every committee's rate with its interval, for a year comparison."""
    part = comparison.rankings[comparison.rankings["rate"] == rate]
    name = views.label(rate, run.lang)
    fig = plots.rates_with_intervals(list(part["committee"]), part["value"], part["lo"], part["hi"],
                                     title=run.text(f"{comparison.year} 年各政协{name}", f"{name}, {comparison.year}"))
    key = "ranking_" + rate.split(".", 1)[1]
    return run.save_figure(key, fig, f"{comparison.year}年各政协{views.label(rate)}及 95% Wilson 区间。",
                           f"{views.label(rate, 'en')} by committee in {comparison.year}, with 95% Wilson intervals.")
