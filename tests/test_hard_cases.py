"""Extraction on tests/fixtures/hard_cases: 553 documents written to look like committees, years
and sites the rules were not written from (see its README). The bar is what a user of a new
corpus may expect; the shared real documents are held to theirs in test_shared_eval."""

from __future__ import annotations

import csv
from pathlib import Path

from cppcc_study.codebook import load_codebook
from cppcc_study.extract import extract_corpus_to_file
from extract_helpers import score

HARD = Path(__file__).parent / "fixtures" / "hard_cases"
SCORED = {i.key for i in load_codebook().indicators if i.scored}  # the SPEC's keys, as score.py counts


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_hard_cases_score_well(tmp_path):
    result = extract_corpus_to_file(HARD / "corpus", tmp_path / "facts.csv", use_curation=False)
    assert not result.failures, [str(f) for f in result.failures]
    found = [f for f in _read_csv(tmp_path / "facts.csv") if f["indicator"] in SCORED]
    gold = _read_csv(HARD / "expected_facts.csv")
    precision, recall, misses, alarms = score(gold, found)
    detail = (f"precision {precision:.3f} recall {recall:.3f}\nmisses: "
              + "; ".join(f"{m['doc_id']} {m['committee']} {m['year']} {m['indicator']} {m['value']}" for m in misses)
              + "\nfalse alarms: "
              + "; ".join(f"{a['doc_id']} {a['committee']} {a['year']} {a['indicator']} {a['value']}" for a in alarms))
    # Measured 0.989 / 0.981 on all 553. Before the fixes each batch prompted, the rules scored
    # 0.764 / 0.588 on g01–g40, 0.897 / 0.765 on a01–a40, 0.748 / 0.587 on b01–b34,
    # 0.863 / 0.813 on c01–c30, 0.927 / 0.832 on d01–d30, 0.878 / 0.762 on e01–e30,
    # 0.938 / 0.952 on f01–f30 (typical rather than hard documents), 0.926 / 0.937 on h01–h30
    # 0.923 / 0.631 on i01–i30 (HTML tables), 0.981 / 0.962 on j01–j20 (typical pages),
    # 0.901 / 0.871 on k01–k25 (county pages), 0.948 / 0.935 on l01–l20 (long reports, mirrors),
    # 0.819 / 0.852 on m01–m25 (roundups of several committees) and 0.951 / 0.705 on n01–n25
    # (WeChat and Markdown pages: bold marks around figures), 0.983 / 0.922 on o01–o25 (national
    # and provincial reports), 0.772 / 0.751 on p01–p25 (pages whose year must be worked out),
    # 0.990 / 0.990 on q01–q25 (ordinary pages), 0.931 / 0.755 on r01–r25 (reworded keys),
    # 0.918 / 0.729 on s01–s22 (saved HTML) and 0.862 / 0.857 on t01–t22 (rarer levels and names).
    assert precision >= 0.95 and recall >= 0.93, detail


def test_negatives_only_document_gives_no_fact(tmp_path):
    extract_corpus_to_file(HARD / "corpus", tmp_path / "facts.csv", use_curation=False)
    assert [f for f in _read_csv(tmp_path / "facts.csv") if f["doc_id"] == "g31"] == []
