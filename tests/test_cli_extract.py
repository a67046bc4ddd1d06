"""`cppcc-study extract` as a user runs it: bad input named, the rest done, nothing half-written."""

import pandas as pd
import pytest

from cppcc_study.cli import main
from cppcc_study.schemas import FACT_COLUMNS

GOOD = "2021年,青岛市政协共收到提案639件,经审查确定立案588件,立案率达92%。"


def _mixed_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (corpus / "nocommittee.txt").write_text("今天天气很好,我们去公园散步。", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_documents_are_reported_and_the_rest_extracted(tmp_path, capsys, jobs):
    corpus = _mixed_corpus(tmp_path)
    out = tmp_path / "facts.csv"
    code = main(["extract", str(corpus), "-o", str(out), "--no-curation", "-q", "-j", jobs])
    err = capsys.readouterr().err
    assert code == 1
    for name, problem in (("empty.txt", "empty file"), ("binary.txt", "binary"), ("nocommittee.txt", "no committee")):
        assert any(name in line and problem in line for line in err.splitlines()), err
    facts = pd.read_csv(out)
    assert list(facts.columns) == FACT_COLUMNS
    assert set(facts["indicator"]) == {"proposals.received", "proposals.filed", "proposals.filing_rate"}
    assert (tmp_path / "facts.parquet").is_file()


def test_empty_folder_is_an_error_and_leaves_the_old_output(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    out = tmp_path / "facts.csv"
    out.write_text("previous,run\n", encoding="utf-8")
    code = main(["extract", str(tmp_path / "corpus"), "-o", str(out), "-q"])
    assert code == 1
    assert "no documents" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous,run\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("argv", [["extract"], ["extract", "corpus", "-o", "f.csv", "-j", "0"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_processes_give_the_same_facts_and_failures_as_one(tmp_path):
    from cppcc_study.extract import extract_corpus

    corpus = _mixed_corpus(tmp_path)
    for i, year in enumerate(range(2015, 2023)):
        (corpus / f"more{i}.txt").write_text(GOOD.replace("2021", str(year)).replace("639", str(600 + i)),
                                             encoding="utf-8")
    one = extract_corpus(corpus, use_curation=False)
    two = extract_corpus(corpus, use_curation=False, jobs=2)
    pd.testing.assert_frame_equal(one.facts, two.facts)
    assert [str(f) for f in one.failures] == [str(f) for f in two.failures]
    assert one.log == two.log and one.n_documents == two.n_documents == 12


def test_help_lists_every_command(capsys):
    try:
        main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    for cmd in ("extract", "panel", "run", "report", "build", "verify", "export"):
        assert cmd in out


def test_outputs_are_readable_by_others_like_any_file(tmp_path):
    import os
    import stat

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "facts.csv"
    main(["extract", str(corpus), "-o", str(out), "--no-curation", "-q"])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_a_failure_inside_extraction_is_reported_and_the_rest_goes_on(tmp_path, monkeypatch, capsys):
    import cppcc_study.extract as extract

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "trips.txt").write_text(GOOD.replace("青岛", "烟台"), encoding="utf-8")
    real = extract.extract_document

    def tripping(doc, *args, **kwargs):
        if doc.doc_id == "trips":
            raise RuntimeError("boom")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(extract, "extract_document", tripping)
    out = tmp_path / "facts.csv"
    assert main(["extract", str(corpus), "-o", str(out), "--no-curation", "-q"]) == 1
    assert any("trips.txt" in line and "boom" in line for line in capsys.readouterr().err.splitlines())
    assert set(pd.read_csv(out)["doc_id"]) == {"good"}
