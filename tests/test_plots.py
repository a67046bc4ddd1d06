"""Figures: Chinese labels with the CJK font, PNG at 200 dpi, byte-identical files run after run."""

from __future__ import annotations

import matplotlib
import pytest
from PIL import Image

from cppcc_study import fonts, plots


def _figures():
    yield "funnel", plots.funnel({"收到提案": 600, "立案提案": 480, "办复提案": 470, "采纳提案": 300}, title="广州市 2022 年")
    yield "rates", plots.rates_with_intervals(["广州市", "深圳市", "杭州市"], [60, 70, 65], [55, 64, 60], [65, 75, 70],
                                              highlight="深圳市", title="采纳率")
    yield "trends", plots.trends([2020, 2021, 2022], {"立案率": [80, 82, 79], "办复率": [98, 99, 97]},
                                 {"立案率": ([77, 79, 76], [83, 85, 82])}, title="历年比率")


@pytest.mark.skipif(fonts.find_cjk_font() is None, reason="no CJK font on this machine")
def test_chinese_labels_use_the_cjk_font():
    plots.use_cjk_font()
    family = matplotlib.rcParams["font.sans-serif"][0]
    assert "CJK" in family
    # A missing glyph would warn, and warnings are errors in this suite.
    for _, fig in _figures():
        fig.canvas.draw()


def test_files_are_written_at_200_dpi_and_identical_run_after_run(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        for key, fig in _figures():
            png, svg = plots.save_figure(fig, folder, key)
            assert png.name == f"{key}.png" and svg.name == f"{key}.svg"
    for key, _ in _figures():
        for suffix in ("png", "svg"):
            assert (first / f"{key}.{suffix}").read_bytes() == (second / f"{key}.{suffix}").read_bytes(), key
        with Image.open(first / f"{key}.png") as image:
            assert min(image.info["dpi"]) >= 199.5
        svg = (first / f"{key}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_figures_are_not_attached_to_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    list(_figures())
    assert plt.get_fignums() == before  # nothing global to leak between runs


def test_funnel_with_missing_stages_still_draws(tmp_path):
    fig = plots.funnel({"收到提案": float("nan"), "立案提案": 480, "办复提案": float("nan")})
    plots.save_figure(fig, tmp_path, "partial")
    fig = plots.funnel({"收到提案": float("nan"), "立案提案": float("nan")})
    plots.save_figure(fig, tmp_path, "empty")
    assert (tmp_path / "empty.png").is_file()
