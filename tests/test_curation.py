"""Curation overrides: drop, correct and add, each logged with its reason."""

import pytest

from cppcc_study.codebook import load_codebook
from cppcc_study.curation import apply_curation
from cppcc_study.errors import InputError
from cppcc_study.extract import extract_document, facts_frame
from extract_helpers import doc

HEADER = "action,doc_id,committee,level,year,period_start,indicator,value,qualifier,evidence,field,new_value,reason\n"


@pytest.fixture
def facts():
    rows = extract_document(doc("2021年,青岛市政协共收到提案639件,经审查确定立案588件。", doc_id="q")).facts
    for r in rows:
        r.pop("_norm_q"), r.pop("_how")
    return facts_frame(rows)


def test_drop_correct_add(tmp_path, facts):
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER
                    + "drop,q,青岛市,,2021,,proposals.filed,588,,,,,a test drop\n"
                    + "correct,q,青岛市,,2021,,proposals.received,639,,,year,2020,the session was in 2020\n"
                    + "add,q,青岛市,prefecture,2021,2021,proposals.key,20,exact,重点提案20件,,,read by hand\n"
                    + "drop,q,青岛市,,2021,,members,1,,,,,nothing to drop\n", encoding="utf-8")
    out, log = apply_curation(facts, path, load_codebook())
    assert set(out["indicator"]) == {"proposals.received", "proposals.key"}
    received = out[out["indicator"] == "proposals.received"].iloc[0]
    assert (received["year"], received["source"]) == (2020, "curated")
    assert out[out["indicator"] == "proposals.key"].iloc[0]["source"] == "curated"
    assert len(log) == 4 and "a test drop" in log[0] and "matched no fact" in log[3]


@pytest.mark.parametrize("row, problem", [
    ("remove,q,青岛市,,2021,,proposals.filed,588,,,,,x\n", "action must be"),
    ("drop,q,青岛市,,2021,,proposals.filed,588,,,,,\n", "needs a reason"),
    ("drop,q,青岛市,,2021,,proposals.nope,588,,,,,x\n", "unknown indicator"),
    ("add,q,青岛市,,2021,,proposals.key,20,,,,,x\n", "needs level, evidence"),
])
def test_bad_rows_name_the_file_and_row(tmp_path, facts, row, problem):
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(InputError) as err:
        apply_curation(facts, path, load_codebook())
    assert "overrides.csv" in str(err.value) and "row 2" in str(err.value) and problem in str(err.value)
