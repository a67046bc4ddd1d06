"""The numbers behind the notebooks: places among peers, rank intervals, the committee-year view."""

from __future__ import annotations

import pandas as pd
import pytest

from cppcc_study import synthetic, views


@pytest.fixture(scope="module")
def facts():
    return synthetic.generate_facts(committees=4, years=(2021, 2022))


@pytest.fixture(scope="module")
def panel(facts):
    return synthetic.build_panel(facts)


def test_rank_intervals_by_hand():
    # B's interval lies wholly above C's; A overlaps both.
    values, lo, hi = pd.Series([50.0, 70.0, 30.0]), pd.Series([25.0, 60.0, 20.0]), pd.Series([75.0, 80.0, 40.0])
    got = views.rank_intervals(values, lo, hi)
    assert got["rank"].tolist() == [2, 1, 3]
    assert got["rank_lo"].tolist() == [1, 1, 2]  # only B is surely above C
    assert got["rank_hi"].tolist() == [3, 2, 3]


def test_peer_places_rank_within_level(panel):
    places = views.peer_places(panel, 2022)
    per_key = places.groupby(["key", "level"])
    assert (per_key["rank"].min() == 1).all()
    assert (places["rank"] <= places["n_peers"]).all()
    top = places[(places["key"] == "members")].sort_values("value", ascending=False)
    assert top["rank"].iloc[0] == 1


def test_committee_year_view_change_and_evidence(panel, facts):
    view = views.committee_year_view(panel, facts, "广州市", 2022)
    row = lambda y: panel[(panel["committee"] == "广州市") & (panel["year"] == y)].iloc[0]  # noqa: E731
    received = view.indicators.set_index("key").loc["proposals.received"]
    assert received["change"] == row(2022)["proposals.received"] - row(2021)["proposals.received"]
    assert f"{received['value']:g}" in received["evidence"]
    assert list(view.funnel.index) == list(views.FUNNEL_KEYS)
    assert list(view.history["year"]) == [2021, 2022]
    assert set(view.rates["key"]) == set(views.RATE_SPECS)


def test_comparison_view_has_every_committee(panel):
    comparison = views.comparison_view(panel, 2022)
    assert len(comparison.table) == 4
    assert set(comparison.rankings["rate"]) == set(views.RATE_SPECS)
    assert list(comparison.models.columns) == ["model", "term", "estimate", "lo", "hi", "note"]
