"""Helpers for extraction tests: a Document from a string, facts as simple tuples."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cppcc_study.corpus import Document
from cppcc_study.extract import extract_document


def doc(text: str, doc_id: str = "t", url: str = "", committee: str = "") -> Document:
    return Document(doc_id, Path(f"{doc_id}.txt"), text, hashlib.sha256(text.encode()).hexdigest(), "utf-8",
                    url, committee)


def facts(text: str, **kw) -> list[tuple]:
    """(committee, year, period_start, indicator, value, qualifier) of every fact in ``text``."""
    result = extract_document(doc(text, **kw))
    return [(f["committee"], f["year"], f["period_start"], f["indicator"], f["value"], f["qualifier"])
            for f in result.facts]
