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


def match_key(f: dict) -> tuple:
    return f["doc_id"], f["committee"], int(f["year"]), f["indicator"]


def score(gold: list[dict], found: list[dict]) -> tuple[float, float, list, list]:
    """Precision, recall, misses and false alarms with the shared score.py matching rule:
    same doc_id, committee, year, indicator and a value within 0.05."""
    unmatched = list(found)
    misses = []
    for g in gold:
        hit = next((f for f in unmatched if match_key(f) == match_key(g)
                    and abs(float(f["value"]) - float(g["value"])) <= 0.05), None)
        if hit is None:
            misses.append(g)
        else:
            unmatched.remove(hit)
    tp = len(gold) - len(misses)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(gold) if gold else 0.0
    return precision, recall, misses, unmatched
