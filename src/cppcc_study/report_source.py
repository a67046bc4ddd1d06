"""The report source for one year and language: Quarto Markdown built from the data files.

``report_source(inputs, lang, engine_label)`` returns the text of ``report.<lang>.qmd``
and the files it refers to (figures, CSS, JS, Typst style). Every number comes from
``inputs`` (panel, facts, conflicts, notebook outputs); text from documents is escaped.
The source uses only what pandoc and Quarto render alike: headings with ids, pipe tables,
images, fenced divs and raw Typst blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .codebook import load_codebook
from .paths import TEMPLATES, committee_slug
from .report_inputs import ReportInputs, Run
from .report_text import (
    committee_name,
    content_widths,
    escape_md,
    fmt_cell,
    fmt_change,
    fmt_count,
    fmt_rate,
    indicator_label,
    is_missing,
    labels,
    md_table,
)

CHAIN = ("proposals.received", "proposals.filed", "proposals.handled", "proposals.adopted")
OPINION = ("opinion.collected", "opinion.reported", "opinion.adopted")
RATE_COLUMNS = ("rate.filing", "rate.handling", "rate.adoption_filed")
HEADLINE = (*CHAIN, "opinion.collected", "instructions")
LEVEL_ORDER = {"national": 0, "provincial": 1, "prefecture": 2, "county": 3}
NOTEBOOK_MODELS_TABLE = "models"  # key of the comparison notebook's table of model results
MAX_TABLE_ROWS = 60  # a notebook table longer than this is cut in the report (the CSV stays whole)
SUPPORT_FILES = ("report.css", "sortable.html", "style.typ")
PAGEBREAK = "```{=typst}\n#pagebreak(weak: true)\n```"
# The wide comparison table gets landscape pages in the PDF (a page setting starts a new page).
LANDSCAPE = "```{=typst}\n#set page(flipped: true)\n```"
PORTRAIT = "```{=typst}\n#set page(flipped: false)\n```"


@dataclass(frozen=True)
class ReportSource:
    """The Markdown text and the files to place beside it (relative path → source file)."""

    text: str
    assets: dict[str, Path] = field(default_factory=dict)


def _get(row: pd.Series, col: str) -> object:
    return row[col] if col in row.index else None


def _rate_label(col: str, lang: str) -> str:
    t = labels(lang)
    return {"rate.filing": t["rate_filing"], "rate.handling": t["rate_handling"],
            "rate.adoption_filed": t["rate_adoption"]}.get(col, col)


def _sorted_committees(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["level"].map(LEVEL_ORDER).fillna(9) if "level" in frame else 0
    return frame.assign(_order=order).sort_values(["_order", "committee"]).drop(columns="_order")


def front_matter(year: int, lang: str) -> str:
    """YAML front matter: title, language and the format options both engines read."""
    t = labels(lang)
    return "\n".join([
        "---",
        f'title: "{t["title"].format(year=year)}"',
        f"lang: {lang}",
        f'toc-title: "{t["toc_title"]}"',
        "format:",
        "  html:",
        "    toc: true",
        "    toc-depth: 2",
        "    embed-resources: true",
        "    css: report.css",
        "    include-in-header: sortable.html",
        "  typst:",
        "    papersize: a4",
        "    fontsize: 10pt",
        "    toc: true",
        "    toc-depth: 2",
        '    page-numbering: "1"',
        "    include-in-header: style.typ",
        "---",
    ])


def _total(frame: pd.DataFrame, key: str) -> str:
    """Sum of a count over committees; ≥ when some terms are lower bounds, ≈ when some are rough."""
    values = frame[key].dropna()
    quals = set(frame.loc[values.index, f"{key}__qualifier"].dropna()) if f"{key}__qualifier" in frame else set()
    loose = quals - {"exact", "all"}
    qualifier = "" if not loose else ("at_least" if loose == {"at_least"} else "about")
    return fmt_count(values.sum(), qualifier)


def summary_section(inputs: ReportInputs, lang: str, engine_label: str) -> str:
    """Counts of committees and documents, headline totals and the change since Y-1."""
    t, year = labels(lang), inputs.year
    this, prev = inputs.this_year, inputs.previous_year
    facts = inputs.facts_this_year
    docs = str(facts["doc_id"].nunique()) if facts is not None else t["not_available"].format(reason="facts.csv")
    out = [f"# {t['summary']} {{#summary}}", "",
           f"- {t['n_committees']}{t['colon']}{len(this)}", f"- {t['n_documents']}{t['colon']}{docs}",
           "", f"**{t['totals']}**", ""]
    for key in HEADLINE:
        if key in this:
            n = int(this[key].notna().sum())
            out.append(f"- {indicator_label(key, lang)}{t['colon']}{_total(this, key)} (n = {n})")
    if "rate.adoption_filed" in this and this["rate.adoption_filed"].notna().any():
        out.append(f"- {t['median_rate']}{t['colon']}{fmt_rate(this['rate.adoption_filed'].median())}%")
    out += ["", f"## {t['change'].format(prev=year - 1)} {{#change}}", ""]
    if not set(this["committee"]) & set(prev["committee"]):
        out.append(t["no_previous"].format(prev=year - 1))
    else:
        out += [t["change_same"], ""]
        for key in HEADLINE:
            if key not in this:
                continue
            # only committees that report the item in both years, so the two sums compare like with like
            both = sorted(set(this.loc[this[key].notna(), "committee"]) & set(prev.loc[prev[key].notna(), "committee"]))
            if not both:
                continue
            now, before = this[this.committee.isin(both)], prev[prev.committee.isin(both)]
            a, b = before[key].sum(), now[key].sum()
            out.append(f"- {indicator_label(key, lang)}{t['colon']}{_total(before, key)} → {_total(now, key)} "
                       f"({fmt_change(b - a, 'count', lang)}; n = {len(both)})")
        if "rate.adoption_filed__change" in this:
            change = this["rate.adoption_filed__change"].dropna()
            out.append(f"- {t['rose']}{t['colon']}{int((change > 0).sum())}{t['semicolon']}"
                       f"{t['fell']}{t['colon']}{int((change < 0).sum())}")
    files = ", ".join(f"{escape_md(name)} {digest[:12]}" for name, digest in sorted(inputs.hashes.items()))
    out += ["", t["engine"].format(engine=escape_md(engine_label)) + " " + t["inputs"].format(files=files)]
    return "\n".join(out)


def comparison_section(inputs: ReportInputs, lang: str) -> str:
    """The table of all committees: proposal chain, rates with intervals, opinion items, instructions."""
    t = labels(lang)
    headers = [t["committee"], *(indicator_label(k, lang) for k in CHAIN),
               *(_rate_label(c, lang) for c in RATE_COLUMNS), t["opinion"], indicator_label("instructions", lang)]
    rows = []
    for _, row in _sorted_committees(inputs.this_year).iterrows():
        cells = [committee_name(row["committee"], lang)]
        cells += [fmt_count(_get(row, k), _get(row, f"{k}__qualifier")) for k in CHAIN]
        cells += [fmt_rate(_get(row, c), _get(row, f"{c}__lo"), _get(row, f"{c}__hi")) for c in RATE_COLUMNS]
        cells.append(" / ".join(fmt_count(_get(row, k), _get(row, f"{k}__qualifier")) for k in OPINION))
        cells.append(fmt_count(_get(row, "instructions"), _get(row, "instructions__qualifier")))
        rows.append(cells)
    table = md_table(headers, rows, "lrrrrrrrrr", [16, 6, 6, 6, 6, 11, 11, 11, 12, 6])
    return "\n".join([LANDSCAPE, "", f"# {t['comparison']} {{#comparison}}", "", escape_md(t["comparison_note"]),
                      "", "::: {.sortable}", table, ":::", "", PORTRAIT])


def _figure_file(run: Run, fig: dict) -> Path | None:
    for key in ("svg", "png"):  # SVG stays sharp in both HTML and PDF
        if fig.get(key) and (run.folder / fig[key]).is_file():
            return run.folder / fig[key]
    return None


def _run_blocks(run: Run, lang: str, assets: dict[str, Path], heading: str, width: int = 100,
                skip: tuple[str, ...] = ()) -> list[str]:
    """Figures and tables of one notebook run, or the plain reason they are missing."""
    t = labels(lang)
    if not run.ok:
        return [t["not_available"].format(reason=escape_md(run.problem or "no outputs")), ""]
    out: list[str] = []
    for fig in run.outputs.get("figures", []):
        file = _figure_file(run, fig)
        caption = escape_md(fig.get(f"caption_{lang}") or fig.get("key", ""))
        if file is None:
            out += [t["not_available"].format(reason=escape_md(f"{run.folder.name}/{fig.get('svg') or fig.get('png') or fig.get('key')}")), ""]
            continue
        rel = f"figures/{run.folder.name}/{file.name}"
        assets[rel] = file
        out += [f"![{caption}]({rel}){{width={width}%}}", ""]
    for tab in run.outputs.get("tables", []):
        if tab.get("key") in skip:
            continue
        title = escape_md(tab.get(f"title_{lang}") or tab.get("key", ""))
        path = run.folder / str(tab.get("csv", ""))
        out += [f"{heading} {title}", ""]
        try:
            frame = pd.read_csv(path)
        except pd.errors.EmptyDataError:
            out += [t["empty_table"], ""]
            continue
        except (OSError, ValueError) as exc:
            out += [t["not_available"].format(reason=escape_md(f"{run.folder.name}/{path.name}: {exc}")), ""]
            continue
        out += [frame_table(frame, lang), ""]
    return out


def column_label(column: str, lang: str) -> str:
    """A panel-style column name in words: ``rate.adoption_filed__lo`` → 采纳率（占立案） 下限."""
    base, _, suffix = column.partition("__")
    t = labels(lang)
    if base in RATE_COLUMNS:
        name = _rate_label(base, lang)
    elif base in load_codebook():
        name = indicator_label(base, lang)
    elif base in t:
        name = t[base]
    else:
        return column
    return f"{name} {t['suffix_' + suffix]}" if suffix and f"suffix_{suffix}" in t else name


def _shown_columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """Bilingual tables show one language: ``*_zh``/``*_en`` of the other language are left out,
    and so is ``key`` when a label in this language stands for it."""
    other = "_en" if lang == "zh" else "_zh"
    cols = [c for c in frame.columns if not str(c).endswith(other)]
    if "key" in cols and f"label_{lang}" in cols:
        cols.remove("key")
    return cols


def frame_table(frame: pd.DataFrame, lang: str) -> str:
    """A notebook's CSV table as a pipe table (indicator and rate keys shown with their labels)."""
    t = labels(lang)
    book = load_codebook()
    shown = frame.head(MAX_TABLE_ROWS)[_shown_columns(frame, lang)]
    headers = [escape_md(column_label(str(c), lang)) for c in shown.columns]

    def cell(column: str, v: object) -> str:
        if column == "committee" and isinstance(v, str):
            return committee_name(v, lang)
        if isinstance(v, str) and (v in book or v in RATE_COLUMNS):
            return escape_md(column_label(v, lang))
        return fmt_cell(v)

    rows = [[cell(c, v) for c, v in zip(shown.columns, r, strict=True)] for r in shown.itertuples(index=False)]
    aligns = "".join("r" if pd.api.types.is_numeric_dtype(shown[c]) else "l" for c in shown.columns)
    text = md_table(headers, rows, aligns or "l", content_widths(headers, rows))
    if len(frame) > MAX_TABLE_ROWS:
        text += "\n\n" + t["rows_shown"].format(n=MAX_TABLE_ROWS, total=len(frame))
    return text


def charts_section(inputs: ReportInputs, lang: str, assets: dict[str, Path]) -> str:
    t = labels(lang)
    # the comparison notebook's model table is shown in the models section, with its reading
    blocks = _run_blocks(inputs.comparison, lang, assets, "##", skip=(NOTEBOOK_MODELS_TABLE,))
    return "\n".join([f"# {t['charts']} {{#charts}}", "", *blocks])


#: panel → (name, result or reason) pairs, or one reason for all; results have to_frame() and interpret(lang)
ModelFit = Callable[[pd.DataFrame], list[tuple[str, object]] | str]


def _model_results(panel: pd.DataFrame) -> list[tuple[str, object]] | str:
    """(name, result or reason) pairs from ``models.fit_all``, or the plain reason there are none."""
    from .models import fit_all

    try:
        results = fit_all(panel)
    except Exception as exc:  # noqa: BLE001 — a model that breaks is stated in the report, not fatal to it
        return f"{type(exc).__name__}: {exc}"
    return [(str(name), res) for name, res in results.items()]


def _notebook_models_table(inputs: ReportInputs, lang: str) -> list[str]:
    """The comparison notebook's model table, when the models cannot be fitted here."""
    run = inputs.comparison
    tables = [tab for tab in (run.outputs or {}).get("tables", []) if tab.get("key") == NOTEBOOK_MODELS_TABLE]
    if not run.ok or not tables:
        return []
    try:
        frame = pd.read_csv(run.folder / str(tables[0].get("csv", "")))
    except (OSError, ValueError):
        return []
    title = escape_md(tables[0].get(f"title_{lang}") or NOTEBOOK_MODELS_TABLE)
    return [f"**{title}**", "", frame_table(frame, lang)]


def models_section(inputs: ReportInputs, lang: str, fit: ModelFit = _model_results) -> str:
    """Estimates and intervals of each adoption model with its plain-language reading, or why not."""
    t = labels(lang)
    out = [f"# {t['models']} {{#models}}", ""]
    results = fit(inputs.panel[inputs.panel["year"] <= inputs.year])
    if isinstance(results, str):
        out += [t["not_available"].format(reason=escape_md(results)), ""]
        return "\n".join(out + _notebook_models_table(inputs, lang)).rstrip()
    for name, res in results:
        out += [f"## {escape_md(t.get(f'model_{name}', name))} {{#model-{committee_slug(name)}}}", ""]
        reason = res if isinstance(res, str | Exception) else getattr(res, "reason", None)
        if reason and lang == "zh":
            reason = getattr(reason, "zh", reason)
        if reason:
            out += [t["not_estimable"].format(reason=escape_md(reason)), ""]
            continue
        if hasattr(res, "interpret"):
            try:
                out += [escape_md(res.interpret(lang)), ""]
            except Exception as exc:  # noqa: BLE001
                out += [t["not_available"].format(reason=escape_md(f"interpret: {exc}")), ""]
        tables = [("", getattr(res, "to_frame", None))]
        if isinstance(getattr(res, "committees", None), pd.DataFrame):
            tables.append((t["model_committees"], lambda r=res: r.committees))
        for title, get in tables:
            try:
                frame = get()
            except Exception as exc:  # noqa: BLE001
                out += [t["not_available"].format(reason=escape_md(f"{name}: {exc}")), ""]
                continue
            named = not isinstance(frame.index, pd.RangeIndex)
            out += [f"**{title}**", ""] if title else []
            if named:
                frame = frame.rename_axis(t["term"]).reset_index()
            out += [frame_table(frame, lang), ""]
    return "\n".join(out).rstrip()


def committee_sections(inputs: ReportInputs, lang: str, assets: dict[str, Path]) -> str:
    """One section per committee: its key figures from the panel, then its notebook's outputs."""
    t = labels(lang)
    book = load_codebook()
    out = [PAGEBREAK, "", f"# {t['committees']} {{#committees}}", ""]
    for _, row in _sorted_committees(inputs.this_year).iterrows():
        name = row["committee"]
        out += [f"## {committee_name(name, lang)} {{#c-{committee_slug(name)}}}", "", f"**{t['key_figures']}**", ""]
        for ind in book.indicators:
            value = _get(row, ind.key)
            if is_missing(value):
                continue
            shown = fmt_rate(value) + "%" if ind.is_rate else fmt_count(value, _get(row, f"{ind.key}__qualifier"))
            change = _get(row, f"{ind.key}__change")
            delta = "" if is_missing(change) else f" ({fmt_change(change, ind.unit, lang)})"
            out.append(f"- {escape_md(ind.label(lang))}{t['colon']}{shown}{delta}")
        for col in RATE_COLUMNS:
            if not is_missing(_get(row, col)):
                interval = fmt_rate(_get(row, col), _get(row, f"{col}__lo"), _get(row, f"{col}__hi"))
                out.append(f"- {_rate_label(col, lang)}{t['colon']}{interval.replace(' ', '% ', 1)}")
        out.append("")
        run = inputs.committee_runs.get(name)
        if run is not None:
            out += _run_blocks(run, lang, assets, "####", width=75)
        out.append("")
    return "\n".join(out).rstrip()


def _fact_rows(facts: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    for _, f in facts.iterrows():
        rows.append([committee_name(f["committee"], lang), escape_md(indicator_label(f["indicator"], lang)),
                     fmt_count(f["value"], f.get("qualifier", "")), escape_md(f["doc_id"]), escape_md(f["evidence"])])
    return rows


CONFLICT_COLUMNS = {  # conflicts.csv column → label key (columns absent from the file are skipped)
    "committee": "committee", "indicator": "indicator", "value": "value", "chosen": "chosen",
    "decided_by": "decided_by", "doc_id": "document", "source": "source", "evidence": "evidence",
}


def conflicts_table(conflicts: pd.DataFrame, lang: str) -> str:
    """Every fact of every conflicting group, the kept one marked."""
    t = labels(lang)
    cols = [c for c in CONFLICT_COLUMNS if c in conflicts]
    rows = []
    for _, r in conflicts.iterrows():
        cells = []
        for col in cols:
            v = r[col]
            if col == "committee":
                cells.append(committee_name(v, lang))
            elif col == "indicator":
                cells.append(escape_md(indicator_label(v, lang)))
            elif col == "value":
                cells.append(fmt_count(v, r.get("qualifier", "")))
            elif col == "chosen":
                cells.append("✓" if str(v).lower() in ("true", "1") else "")
            else:
                cells.append(escape_md(v))
        rows.append(cells)
    aligns = "".join("r" if c == "value" else ("c" if c == "chosen" else "l") for c in cols)
    headers = [t[CONFLICT_COLUMNS[c]] for c in cols]
    return md_table(headers, rows, aligns, content_widths(headers, rows))


def quality_section(inputs: ReportInputs, lang: str) -> str:
    """Appendix A: conflicts, stated-vs-computed mismatches, curated facts, provenance of every number."""
    t = labels(lang)
    na = t["not_available"]
    out = [PAGEBREAK, "", f"# {t['appendix_quality']} {{#quality}}", "", f"## {t['conflicts']} {{#conflicts}}", ""]
    if inputs.conflicts is None:
        out.append(na.format(reason="conflicts.csv"))
    else:
        c = inputs.conflicts
        c = c[c["year"] == inputs.year] if "year" in c else c
        c = c[c["table"] == "annual"] if "table" in c else c
        if c.empty:
            out.append(t["no_conflicts"])
        else:
            out.append(conflicts_table(c, lang))
    out += ["", f"## {t['mismatches']} {{#mismatches}}", ""]
    mism = []
    book = load_codebook()
    for _, row in _sorted_committees(inputs.this_year).iterrows():
        for ind in book.indicators:
            flag = _get(row, f"{ind.key}__mismatch")
            if not is_missing(flag) and str(flag).lower() in ("true", "1", "1.0"):
                mism.append([committee_name(row["committee"], lang), escape_md(ind.label(lang)),
                             fmt_rate(_get(row, ind.key)), fmt_rate(_get(row, f"{ind.key}__computed")),
                             escape_md(_get(row, f"{ind.key}__denominator") or "")])
    out.append(md_table([t["committee"], t["indicator"], t["stated"], t["computed"], t["denominator"]],
                        mism, "llrrl", [3, 3, 1, 1, 1]) if mism else t["no_mismatches"])
    facts = inputs.facts_this_year
    out += ["", f"## {t['curated']} {{#curated}}", ""]
    headers = [t["committee"], t["indicator"], t["value"], t["document"], t["evidence"]]
    if facts is None:
        out.append(na.format(reason="facts.csv"))
    else:
        curated = facts[facts.get("source", pd.Series("", index=facts.index)) == "curated"]
        rows = _fact_rows(curated, lang)
        out.append(md_table(headers, rows, "llrll", content_widths(headers, rows)) if rows else t["no_curated"])
    out += ["", f"## {t['provenance']} {{#provenance}}", ""]
    if facts is None:
        out.append(na.format(reason="facts.csv"))
    else:
        ordered = facts.sort_values(["committee", "doc_id", "start"] if "start" in facts else ["committee", "doc_id"])
        rows = _fact_rows(ordered, lang)
        out.append(md_table(headers, rows, "llrll", content_widths(headers, rows)))
    return "\n".join(out)


def methods_section(lang: str) -> str:
    """Appendix B, from the codebook: each indicator's label, unit and definition in ``lang``."""
    t = labels(lang)
    book = load_codebook()
    rows = [[escape_md(i.label(lang)), t["unit_percent"] if i.is_rate else t["unit_count"],
             escape_md(i.definition_zh if lang == "zh" else i.definition)] for i in book.indicators]
    return "\n".join([f"# {t['appendix_methods']} {{#methods}}", "",
                      escape_md(t["methods_intro"].format(sha=book.sha256[:12])), "",
                      md_table([t["indicator"], t["unit"], t["definition"]], rows, "lll", [3, 1, 8])])


def report_source(inputs: ReportInputs, lang: str, engine_label: str, fit: ModelFit = _model_results) -> ReportSource:
    """The whole report for ``inputs.year`` in ``lang`` (``zh`` or ``en``); ``fit`` fits the adoption models."""
    assets = {name: TEMPLATES / name for name in SUPPORT_FILES}
    parts = [
        front_matter(inputs.year, lang),
        summary_section(inputs, lang, engine_label),
        comparison_section(inputs, lang),
        charts_section(inputs, lang, assets),
        models_section(inputs, lang, fit),
        committee_sections(inputs, lang, assets),
        quality_section(inputs, lang),
        methods_section(lang),
    ]
    return ReportSource("\n\n".join(parts) + "\n", assets)
