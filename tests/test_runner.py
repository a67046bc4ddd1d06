"""The notebook grid runner: grid checks, cache, partial re-runs, failure isolation, interruption, dask.

The grid tests execute the small fixture notebooks (tests/fixtures/notebooks), which read
no data, so the runner's own behaviour is what takes the time; test_notebooks.py executes
the real notebooks.
"""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from cppcc_study import cli, inputs, kernels, manifest, paths, runner, synthetic, views
from cppcc_study.errors import ParameterError
from cppcc_study.grid import grid_jobs, load_grid
from notebook_project import REPO, fixture_grid, make_project

PER_YEAR_ECHO = "  echo_year:\n    path: notebooks/echo.ipynb\n    per: year\n"
#: A second per-committee notebook beside fixture_grid's echo (the same file, another grid entry).
SECOND_ECHO = "  echo_twin:\n    path: notebooks/echo.ipynb\n    per: committee\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("CPPCC_STUDY_ROOT", str(root))
    return root


def _write_grid(root, text):
    (root / "params" / "grid.yaml").write_text(text, encoding="utf-8")
    return root / "params" / "grid.yaml"


def _ran(summary) -> set[tuple]:
    return {(r.notebook, r.committee, r.year) for r in summary.ran}


# --------------------------------------------------------------------------- grid file


def test_default_grid_runs_every_committee_year_and_each_year(project):
    grid = load_grid()
    jobs = grid_jobs(grid, inputs.load_panel(grid.panel))
    per_committee = [j for j in jobs if j.notebook == "committee_year"]
    per_year = [j for j in jobs if j.notebook == "year_comparison"]
    assert len(per_committee) == 6 and {j.year for j in per_committee} == {2021, 2022}
    assert [j.year for j in per_year] == [2021, 2022]
    assert len({j.run_dir for j in jobs}) == len(jobs)  # runs never share a folder
    assert per_year[0].run_dir.name == "comparison"
    assert per_committee[0].parameters["dpi"] == 200  # options from the grid reach the notebook


def test_run_folder_names_follow_one_rule():
    assert paths.run_folder_name("广州市") == paths.run_folder_name("广州市", "committee_year") == "guang-zhou-shi"
    assert paths.run_folder_name() == paths.run_folder_name(None, "year_comparison") == "comparison"
    assert paths.run_folder_name("广州市", "handling_classes") == "guang-zhou-shi--handling_classes"
    assert paths.run_folder_name(None, "broken") == "comparison--broken"
    assert paths.run_dir(2022, "广州市", "echo") == paths.build_dir() / "2022" / "guang-zhou-shi--echo"
    with pytest.raises(ValueError, match="letters, digits and underscores"):
        paths.run_folder_name("广州市", "../escape")


def test_several_notebooks_per_committee_get_sibling_run_folders(project):
    _write_grid(project, "years: [2022]\n" + fixture_grid(broken=True) + SECOND_ECHO + PER_YEAR_ECHO
                + "  committee_year: {}\n  year_comparison: {}\n")
    grid = load_grid()
    jobs = grid_jobs(grid, inputs.load_panel(grid.panel))
    folders = {(j.notebook, j.committee): j.run_dir.relative_to(project / "reports" / "build" / "2022").as_posix()
               for j in jobs}
    assert folders[("committee_year", "广州市")] == "guang-zhou-shi"  # where the report reads it
    assert folders[("echo", "广州市")] == "guang-zhou-shi--echo"
    assert folders[("echo_twin", "广州市")] == "guang-zhou-shi--echo_twin"
    assert folders[("year_comparison", None)] == "comparison"
    assert folders[("broken", None)] == "comparison--broken"
    assert folders[("echo_year", None)] == "comparison--echo_year"
    assert len(set(folders.values())) == len(jobs) == 3 * 3 + 3


def test_a_per_committee_notebook_needs_a_committee_parameter(project):
    nb = nbformat.read(project / "notebooks" / "echo.ipynb", as_version=4)
    nb.cells[0].source = "\n".join(line for line in nb.cells[0].source.splitlines()
                                   if not line.startswith("committee"))
    nbformat.write(nb, project / "notebooks" / "yearly.ipynb")
    _write_grid(project, "notebooks:\n  yearly:\n    path: notebooks/yearly.ipynb\n    per: year\n")
    assert load_grid().notebooks[0].per == "year"
    _write_grid(project, "notebooks:\n  yearly:\n    path: notebooks/yearly.ipynb\n    per: committee\n")
    with pytest.raises(ParameterError, match="runs per committee, but yearly.ipynb has no parameter 'committee'"):
        load_grid()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("notebooks: [unclosed\n", "not valid YAML"),
        ("notebookz: {}\n", "unknown key 'notebookz'"),
        ("committees: [某某市]\n", "'某某市' is not a committee of the panel"),
        ("years: [1999]\n", "years: 1999 is outside the panel"),
        ("years: {from: 1990, to: 1995}\n", "holds no year of the panel"),
        ("notebooks:\n  committee_year:\n    options: {colour: red}\n", "has no parameter 'colour'"),
        ("notebooks:\n  committee_year:\n    options: {year: 2020}\n", "'year' is set by the runner"),
        ("notebooks:\n  x:\n    path: notebooks/no_parameters.ipynb\n", "has no cell tagged 'parameters'"),
        ("notebooks:\n  x:\n    path: notebooks/missing.ipynb\n", "not found"),
        ("notebooks:\n  my-notes:\n    path: notebooks/echo.ipynb\n", "use letters, digits and underscores"),
        ("kernel: {timeout: -1}\n", "kernel.timeout"),
        ("kernel: {name: no-such-kernel}\n", "no Jupyter kernel named 'no-such-kernel'"),
    ],
)
def test_bad_grid_is_reported_before_anything_runs(project, text, problem):
    grid_file = _write_grid(project, text)
    with pytest.raises(ParameterError) as info:
        runner.run_grid(progress=False)
    assert problem in str(info.value)
    assert str(grid_file) in str(info.value)  # the message names the file
    assert not (project / "reports" / "build").exists()


def test_cli_reports_a_bad_grid_in_one_line(project, capsys):
    _write_grid(project, "years: [1999]\n")
    assert cli.main(["run", "-q"]) == cli.EXIT_SOME_FAILED
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "grid.yaml: years: 1999" in err


# --------------------------------------------------------------------------- execution


@pytest.mark.slow
def test_cache_hit_and_changing_one_committee_reruns_only_what_reads_it(project, capsys):
    _write_grid(project, fixture_grid() + PER_YEAR_ECHO)
    first = runner.run_grid(jobs=2, progress=True)
    assert not first.failures and len(first.ran) == 8
    err = capsys.readouterr().err
    assert "8/8" in err and "nb" in err  # progress bar with counts

    again = runner.run_grid(jobs=2, progress=False)
    assert len(again.cached) == 8 and not again.ran
    assert again.seconds < first.seconds

    # One committee's 2021 data changes (at the source: its facts), and the panel is rebuilt.
    data = project / "data" / "processed"
    facts = pd.read_csv(data / "facts.csv")
    before = views.peer_places(inputs.load_panel(data / "panel.csv"), 2021)
    row = (facts["committee"] == "广州市") & (facts["year"] == 2021) & (facts["indicator"] == "members")
    facts.loc[row, "value"] += 1
    facts.to_csv(data / "facts.csv", index=False)
    synthetic.build_panel(facts).to_csv(data / "panel.csv", index=False)
    after = views.peer_places(inputs.load_panel(data / "panel.csv"), 2021)
    assert before["rank"].tolist() == after["rank"].tolist()  # the change moves nobody's place

    third = runner.run_grid(jobs=2, progress=False)
    assert _ran(third) == {("echo", "广州市", 2021), ("echo", "广州市", 2022),  # its years up to 2022
                           ("echo_year", None, 2021), ("echo_year", None, 2022)}  # comparisons reading 2021



@pytest.mark.slow
def test_failing_notebook_is_isolated_and_keeps_its_partial_copy(project, capsys):
    _write_grid(project, "committees: [广州市, 深圳市]\n" + fixture_grid(fail_for="深圳市", broken=True))
    assert cli.main(["run", "-q", "-j", "2"]) == cli.EXIT_SOME_FAILED
    out = capsys.readouterr().out
    assert "2 ran, 0 cached, 4 failed" in out  # 广州市 ran in both years despite the failures
    assert "FAILED echo 深圳市 2021: ValueError: failing on purpose for 深圳市" in out
    assert "FAILED broken 2022: RuntimeError: broken on purpose in 2022" in out

    build = project / "reports" / "build"
    assert (build / "2022" / "guang-zhou-shi--echo" / runner.CACHE_FILE).is_file()
    broken = build / "2022" / "comparison--broken"
    nb = nbformat.read(broken / "broken.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(o.get("ename") == "RuntimeError" for c in code for o in c.get("outputs", []))
    assert "first cell ran" in json.dumps([c.outputs for c in code])  # cells before the error kept outputs
    assert (broken / "partial.txt").is_file()
    record = json.loads((broken / "outputs.json").read_text(encoding="utf-8"))
    assert record["status"] == "failed" and record["error"] == "RuntimeError: broken on purpose in 2022"
    assert not (broken / runner.CACHE_FILE).exists()  # failures are never cached


@pytest.mark.slow
def test_two_notebooks_per_committee_are_cached_and_fail_apart(project):
    # echo fails for 深圳市, echo_twin (same file, no fail_for) does not
    _write_grid(project, "committees: [广州市, 深圳市]\nyears: [2022]\n" + fixture_grid(fail_for="深圳市")
                + SECOND_ECHO)
    first = runner.run_grid(jobs=2, progress=False)
    assert {(r.notebook, r.committee, r.status) for r in first.results} == {
        ("echo", "广州市", "ok"), ("echo", "深圳市", "failed"),
        ("echo_twin", "广州市", "ok"), ("echo_twin", "深圳市", "ok")}
    build = project / "reports" / "build" / "2022"
    for result in first.results:
        assert result.run_dir == build / paths.run_folder_name(result.committee, result.notebook)
        assert result.executed.is_file() and result.executed.name == f"{result.notebook}.ipynb"
        # verify compares executed notebooks with the temporary folder's path mapped back to the run folder
        normalised = manifest.normalise_notebook_bytes(result.executed)
        assert b".tmp-" not in normalised and result.run_dir.name.encode() in normalised
    failed = json.loads((build / "shen-zhen-shi--echo" / "outputs.json").read_text(encoding="utf-8"))
    assert failed["status"] == "failed" and failed["notebook"] == "echo"
    twin = json.loads((build / "shen-zhen-shi--echo_twin" / "outputs.json").read_text(encoding="utf-8"))
    assert twin["status"] == "ok" and (build / "shen-zhen-shi--echo_twin" / runner.CACHE_FILE).is_file()

    again = runner.run_grid(jobs=2, progress=False)
    assert {(r.notebook, r.committee) for r in again.cached} == {
        ("echo", "广州市"), ("echo_twin", "广州市"), ("echo_twin", "深圳市")}
    assert _ran(again) == {("echo", "深圳市", 2022)}  # failures are never cached

    # Two entries of one notebook file with the same parameters share a cache key, never a folder.
    _write_grid(project, "committees: [广州市]\nyears: [2022]\n" + fixture_grid()
                + SECOND_ECHO + '    options: {fail_for: ""}\n')
    same = runner.run_grid(jobs=2, progress=False)
    assert [(r.notebook, r.status) for r in same.results] == [("echo", "ok"), ("echo_twin", "ok")]
    assert [(r.notebook, r.status) for r in runner.run_grid(jobs=2, progress=False).results] == [
        ("echo", "cached"), ("echo_twin", "cached")]


@pytest.mark.slow
def test_interrupted_run_leaves_nothing_half_written_and_resumes(project, monkeypatch):
    _write_grid(project, "years: [2022]\n" + fixture_grid())
    real, calls = kernels.execute, []

    def interrupt_second(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(kernels, "execute", interrupt_second)
    with pytest.raises(KeyboardInterrupt):
        runner.run_grid(jobs=1, progress=False)
    build = project / "reports" / "build"
    assert not list(build.glob("*/.*")), "temporary folders left behind"
    finished = [p for p in build.glob("*/*") if (p / "outputs.json").is_file()]
    assert len(finished) == 1

    monkeypatch.setattr(kernels, "execute", real)
    resumed = runner.run_grid(jobs=1, progress=False)
    assert len(resumed.cached) == 1 and len(resumed.ran) == 2 and not resumed.failures


@pytest.mark.slow
def test_executed_notebook_records_parameters_and_input_hashes(project):
    _write_grid(project, "committees: [广州市]\nyears: [2022]\n" + fixture_grid())
    summary = runner.run_grid(jobs=1, progress=False)
    (result,) = summary.results
    meta = nbformat.read(result.executed, as_version=4).metadata
    stamp = json.loads((result.run_dir / runner.CACHE_FILE).read_text(encoding="utf-8"))
    assert meta["papermill"]["parameters"]["committee"] == result.committee
    assert meta["cppcc_study"]["parameters"]["output_dir"] == str(result.run_dir)
    assert meta["cppcc_study"]["input_hashes"] == stamp["input_hashes"]
    assert set(stamp["input_hashes"]) == {"panel_rows", "facts_rows", "peer_places"}
    assert len(runner.run_grid(jobs=1, force=True, progress=False).ran) == 1  # --force ignores the cache


@pytest.mark.slow
def test_dask_local_cluster_runs_the_same_jobs(project):
    distributed = pytest.importorskip("distributed")
    _write_grid(project, "committees: [广州市, 深圳市]\nyears: [2022]\n" + fixture_grid() + SECOND_ECHO
                + PER_YEAR_ECHO)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = runner.run_grid(executor="dask", scheduler=cluster.scheduler_address, jobs=2, progress=False)
    assert not summary.failures and len(summary.ran) == 5
    assert summary.executor == "dask"
    assert len({r.run_dir for r in summary.results}) == 5
    assert all((r.run_dir / "outputs.json").is_file() for r in summary.results)
    assert len(runner.run_grid(jobs=1, progress=False).cached) == 5  # same cache as the local executor


def test_library_fingerprint_covers_only_modules_the_notebook_reaches():
    notebook = REPO / "notebooks" / "committee_year.ipynb"
    reached = runner.notebook_modules(notebook)
    assert {"notebook_api", "views", "plots", "inputs", "panel", "models", "codebook"} <= set(reached)
    assert not {"runner", "report", "extract", "pipeline"} & set(reached)
    echo = REPO / "tests" / "fixtures" / "notebooks" / "echo.ipynb"
    assert runner.notebook_modules(echo) == ["__init__"]
    assert "notebook_api" in runner.notebook_modules(echo, preload=("cppcc_study.notebook_api",))


def test_bad_options_are_refused():
    with pytest.raises(ParameterError, match="at least 1"):
        runner.run_grid(jobs=0, progress=False)
    with pytest.raises(ParameterError, match="--executor dask"):
        runner.run_grid(scheduler="tcp://x:1", progress=False)
