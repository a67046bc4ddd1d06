"""Matplotlib figures with Chinese labels, saved reproducibly (no dates, fixed SVG ids).

Each figure function takes plain values and returns a ``Figure``; ``save_figure`` writes it
as PNG and SVG. Call ``fonts.configure_matplotlib()`` first (``use_cjk_font`` does it once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from . import fonts

PNG_DPI = 200
HIGHLIGHT, MUTED, ACCENT = "#c0392b", "#7f8c8d", "#2c3e50"
#: Metadata written into files: none that changes from run to run or between versions.
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}


@lru_cache(maxsize=1)
def use_cjk_font() -> str | None:
    """Configure matplotlib's CJK font once per process; return the family (None without one)."""
    return fonts.configure_matplotlib()


def _figure(width: float, height: float) -> Figure:
    use_cjk_font()
    matplotlib.rcParams["svg.hashsalt"] = "cppcc-study"
    # A Figure not attached to pyplot: nothing global, garbage-collected with its last reference.
    return Figure(figsize=(width, height), layout="constrained")


def funnel(counts: Mapping[str, float], title: str = "") -> Figure:
    """Horizontal bars from the first stage to the last (e.g. 收到 → 立案 → 办复 → 采纳), with counts and shares.

    A stage without a value (NaN) is drawn as an empty bar marked "—".
    """
    labels, values = list(counts), np.asarray(list(counts.values()), dtype=float)
    fig = _figure(6, 0.6 * len(labels) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    known = np.isfinite(values)
    ax.barh(y, np.where(known, values, 0), color=[ACCENT] + [MUTED] * (len(labels) - 1), height=0.6)
    first = values[0] if len(values) and known[0] and values[0] > 0 else np.nan
    for yi, value, ok in zip(y, values, known, strict=True):
        share = f"  ({100 * value / first:.0f}%)" if ok and np.isfinite(first) else ""
        ax.text(value if ok else 0, yi, f" {value:,.0f}{share}" if ok else " —", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, values[known].max() * 1.3 if known.any() and values[known].max() > 0 else 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title)
    return fig


def rates_with_intervals(
    names: Sequence[str],
    values: Sequence[float],
    lo: Sequence[float],
    hi: Sequence[float],
    highlight: str | None = None,
    title: str = "",
    xlabel: str = "%",
) -> Figure:
    """Dot-and-whisker chart of one rate by committee (sorted by value), one committee highlighted."""
    order = np.argsort(np.asarray(values, dtype=float))
    names = [names[i] for i in order]
    v, l_, h = (np.asarray(a, dtype=float)[order] for a in (values, lo, hi))
    fig = _figure(6, 0.35 * len(names) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(names))
    colors = [HIGHLIGHT if n == highlight else ACCENT for n in names]
    ax.hlines(y, l_, h, colors=colors, linewidth=2)
    ax.scatter(v, y, color=colors, zorder=3, s=25)
    ax.set_yticks(y, names)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title)
    return fig


def trends(
    years: Sequence[int],
    series: Mapping[str, Sequence[float]],
    intervals: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    title: str = "",
    ylabel: str = "%",
) -> Figure:
    """Lines over years, one a series, with shaded intervals where given."""
    fig = _figure(6, 3.5)
    ax = fig.add_subplot()
    x = np.asarray(years, dtype=int)
    for name, values in series.items():
        (line,) = ax.plot(x, np.asarray(values, dtype=float), marker="o", label=name)
        if intervals and name in intervals:
            lo, hi = intervals[name]
            ax.fill_between(x, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float),
                            color=line.get_color(), alpha=0.15, linewidth=0)
    ax.set_xticks(x, [str(v) for v in x])
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=8)
    ax.set_title(title)
    return fig


def save_figure(fig: Figure, folder: str | Path, key: str, dpi: int = PNG_DPI) -> tuple[Path, Path]:
    """Write ``<key>.png`` (``dpi``) and ``<key>.svg`` into ``folder``; return both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{key}.png", folder / f"{key}.svg"
    matplotlib.rcParams["svg.hashsalt"] = "cppcc-study"
    fig.savefig(png, dpi=dpi, metadata=PNG_METADATA)
    fig.savefig(svg, metadata=SVG_METADATA)
    return png, svg
