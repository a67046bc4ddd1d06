"""`cppcc-study extract` as a user runs it: bad input named, the rest done, nothing half-written."""

import pandas as pd

from cppcc_study.cli import main
from cppcc_study.schemas import FACT_COLUMNS

GOOD = "2021年,青岛市政协共收到提案639件,经审查确定立案588件,立案率达92%。"


def test_bad_documents_are_reported_and_the_rest_extracted(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (corpus / "nocommittee.txt").write_text("今天天气很好,我们去公园散步。", encoding="utf-8")
    out = tmp_path / "facts.csv"
    code = main(["extract", str(corpus), "-o", str(out), "--no-curation", "-q"])
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


def test_usage_errors_exit_2(capsys):
    try:
        main(["extract"])
    except SystemExit as exc:
        assert exc.code == 2


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
