"""Data contracts at the boundaries between stages, as pandera schemas.

``FACTS`` is what extraction writes and the panel reads (columns of the shared SPEC plus
provenance). The panel's schema is built from the codebook in ``panel.panel_schema``.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .errors import SchemaError

LEVELS = ("national", "provincial", "prefecture", "county")
QUALIFIERS = ("exact", "at_least", "at_most", "about", "all")

#: Column order of a facts file. The first nine are the shared SPEC's.
FACT_COLUMNS = [
    "doc_id",
    "committee",
    "level",
    "year",
    "period_start",
    "indicator",
    "value",
    "qualifier",
    "evidence",
    "province",
    "unit",
    "sentence",
    "start",
    "end",
    "doc_sha256",
    "source",
    "extractor_version",
]


def facts_schema(indicator_keys: list[str] | None = None) -> pa.DataFrameSchema:
    """The facts contract; with ``indicator_keys`` the indicator column is checked against them."""
    indicator_checks = [pa.Check.isin(indicator_keys)] if indicator_keys else []
    return pa.DataFrameSchema(
        {
            "doc_id": pa.Column(str, pa.Check.str_length(min_value=1)),
            "committee": pa.Column(str, pa.Check.str_length(min_value=1)),
            "level": pa.Column(str, pa.Check.isin(LEVELS)),
            "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "period_start": pa.Column(int, pa.Check.in_range(1949, 2100)),
            "indicator": pa.Column(str, indicator_checks),
            "value": pa.Column(float, pa.Check.ge(0)),
            "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
            "evidence": pa.Column(str, pa.Check.str_length(min_value=1)),
            "province": pa.Column(str, nullable=True),
            "unit": pa.Column(str, pa.Check.isin(["count", "percent"])),
            "sentence": pa.Column(str),
            "start": pa.Column(int, pa.Check.ge(0)),
            "end": pa.Column(int, pa.Check.ge(0)),
            "doc_sha256": pa.Column(str, pa.Check.str_length(64, 64)),
            "source": pa.Column(str),
            "extractor_version": pa.Column(str),
        },
        checks=[
            pa.Check(lambda df: (df["period_start"] <= df["year"]).all(), error="period_start after year"),
            pa.Check(lambda df: (df["start"] < df["end"]).all(), error="start not before end"),
        ],
        strict=True,
        ordered=True,
        coerce=True,
    )


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, what: str) -> pd.DataFrame:
    """Validate ``df`` against ``schema``; raise SchemaError with a one-paragraph message."""
    try:
        return schema.validate(df, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = cases.head(5).to_string() if cases is not None else str(exc)
        raise SchemaError(f"{what} does not satisfy its schema:\n{detail}") from exc
