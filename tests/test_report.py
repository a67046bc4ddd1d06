"""The annual report: escaping, engine options, the generated source (golden), and real renders.

Renders go through pandoc + Typst (the engine of machines without Quarto). PDF checks use
poppler (pdffonts, pdftotext, pdftoppm) and the HTML end-to-end test uses headless
Chromium; each skips with a message when its tool is missing.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from cppcc_study import render as render_mod
from cppcc_study import report as report_mod
from cppcc_study.errors import InputError, ParameterError
from cppcc_study.render import pandoc_args, pandoc_path, read_front_matter
from cppcc_study.report import build_report, report_path
from cppcc_study.report_inputs import load_inputs
from cppcc_study.report_source import front_matter, report_source
from cppcc_study.report_text import escape_md, fmt_count, fmt_rate, md_table, pinyin
from report_fixtures import EVIL, write_report_fixture

GOLDEN = Path(__file__).parent / "golden"
YEAR = 2022
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed: "
                                          "run scripts/setup.sh as root or apt-get install poppler-utils")


def _chromium_missing() -> bool:
    from cdp_page import chromium

    return chromium() is None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder with the fixture panel, facts, conflicts and notebook outputs."""
    root = tmp_path_factory.mktemp("report-project")
    write_report_fixture(root)
    return root


@pytest.fixture(scope="module")
def rendered(project) -> dict[str, Path]:
    """Both languages rendered to HTML and PDF through pandoc + Typst."""
    out = {}
    for lang in ("zh", "en"):
        for path in build_report(YEAR, lang, ["html", "pdf"], engine="pandoc", root=project):
            out[f"{lang}.{path.suffix[1:]}"] = path
    return out


class _Text(html.parser.HTMLParser):
    """Visible text and element names of an HTML document."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(doc: str) -> _Text:
    p = _Text()
    p.feed(doc)
    return p


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- text pieces


def test_escape_md_renders_literally_in_html():
    doc = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "html5"], input=escape_md(EVIL) + "\n",
                         capture_output=True, text=True, check=True).stdout
    parsed = _parse(doc)
    assert [t for t, _ in parsed.tags] == ["p"], "document text must not create elements"
    assert _flat("".join(parsed.text)) == _flat(EVIL)


def test_escape_md_renders_literally_in_typst(tmp_path):
    pytest.importorskip("typst")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    typ = tmp_path / "e.typ"
    typ.write_text(subprocess.run([pandoc_path(), "-f", "markdown", "-t", "typst"], input=escape_md(EVIL) + "\n",
                                  capture_output=True, text=True, check=True).stdout, encoding="utf-8")
    render_mod.compile_typst(typ, tmp_path / "e.pdf")
    assert _flat(EVIL) in _flat(_pdftotext(tmp_path / "e.pdf"))


@pytest.mark.parametrize("text", ["a|b", "1. item", "- x", "# h", "::: div", "{{< meta x >}}", "&amp;", "a\nb\tc"])
def test_escape_md_keeps_markdown_structure_out(text):
    doc = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "html5"], input=escape_md(text) + "\n",
                         capture_output=True, text=True, check=True).stdout
    assert [t for t, _ in _parse(doc).tags] == ["p"]
    assert _flat("".join(_parse(doc).text)) == _flat(text)


def test_number_formats():
    assert fmt_count(1234.0) == "1,234"
    assert fmt_count(12.0, "at_least") == "≥12"
    assert fmt_count(float("nan")) == "—"
    assert fmt_rate(85.234, 82.1, 87.96) == "85.2 [82.1, 88.0]"
    assert fmt_rate(None) == "—"


def test_pinyin_separates_the_administrative_suffix():
    assert pinyin("广州市") == "Guǎngzhōu Shì"
    assert pinyin("广东省") == "Guǎngdōng Shěng"


def test_content_widths_keep_ids_whole_and_wrap_sentences():
    from cppcc_study.report_text import content_widths

    doc_id = "demo05_guangzhou_2023_proposal_report"
    name, doc, evidence = content_widths(["委员会", "文件", "证据"], [["广州市", escape_md(doc_id), "很长的句子" * 20]])
    assert doc > len(doc_id)  # an id cannot wrap: its column holds it whole
    assert evidence < 2 * 100  # a Chinese sentence wraps: its column is capped
    assert name >= 2 * 3  # three wide characters


def test_md_table_widths_always_apply():
    table = md_table(["a", "b"], [["1", "2"]], "lr", [3, 1])
    assert len(table.splitlines()[1]) > 72  # longer than pandoc's --columns: relative widths in every writer


# --------------------------------------------------------------------------- engine options


def test_pandoc_args_translate_the_quarto_options():
    meta = read_front_matter(front_matter(YEAR, "zh") + "\n")
    html = pandoc_args(meta, "html")
    assert {"--toc", "--embed-resources", "--css=report.css", "--include-in-header=sortable.html"} <= set(html)
    pdf = pandoc_args(meta, "pdf", mainfont="Noto Sans CJK SC")
    assert "--to" in pdf and pdf[pdf.index("--to") + 1] == "typst"
    assert {"papersize=a4", "page-numbering=1", "mainfont=Noto Sans CJK SC"} <= set(pdf)
    assert "--include-in-header=style.typ" in pdf


def test_pandoc_args_refuse_an_option_without_translation():
    with pytest.raises(ParameterError, match="no pandoc translation"):
        pandoc_args({"format": {"html": {"code-fold": True}}}, "html")


def test_choose_engine_quarto_absent(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert render_mod.choose_engine("auto") == "pandoc"
    with pytest.raises(ParameterError, match="quarto is not on PATH"):
        render_mod.choose_engine("quarto")


FAKE_QUARTO = """#!/bin/sh
# Stands in for quarto: records its arguments and writes the file named by --output.
if [ "$1" = "--version" ]; then echo 1.6.0; exit 0; fi
echo "$@" >> quarto-args.txt
while [ $# -gt 0 ]; do
  if [ "$1" = "--output" ]; then echo "made by fake quarto" > "$2"; fi
  shift
done
"""


def test_quarto_engine_renders_the_same_source(tmp_path, monkeypatch):
    write_report_fixture(tmp_path, figures=False)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "quarto").write_text(FAKE_QUARTO, encoding="utf-8")
    (bin_dir / "quarto").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    render_mod.engine_label.cache_clear()
    try:
        written = build_report(YEAR, "zh", ["html", "pdf"], engine="auto", root=tmp_path)
    finally:
        render_mod.engine_label.cache_clear()
    assert [p.read_text(encoding="utf-8") for p in written] == ["made by fake quarto\n"] * 2
    folder = tmp_path / "reports" / "source" / str(YEAR)
    args = (folder / "quarto-args.txt").read_text(encoding="utf-8").splitlines()
    assert args[0] == "render report.zh.qmd --to html --output report.zh.html"
    assert args[1].startswith("render report.zh.qmd --to typst --output report.zh.pdf -M mainfont:")
    assert "font-paths:" in args[1]
    assert escape_md("Quarto 1.6.0") in (folder / "report.zh.qmd").read_text(encoding="utf-8")


def test_quarto_project_file_is_valid_yaml():
    import yaml

    conf = yaml.safe_load((Path(__file__).parents[1] / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert conf["project"]["type"] == "default"


# --------------------------------------------------------------------------- source


def _normalized(text: str) -> str:
    # sha256 prefixes of data files depend on the CSV writer's version; the golden pins the rest
    return re.sub(r"\b[0-9a-f]{12}\b", "<sha256>", text)


class _StubModel:
    """A model result with fixed numbers, so the golden pins this module and not the models' wording."""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"coef": [0.5, -0.25], "lower": [0.1, -0.6], "upper": [0.9, 0.1]},
                            index=["Intercept", "year"])

    def interpret(self, lang: str) -> str:
        return f"{'解释' if lang == 'zh' else 'Reading'}: {EVIL}"


def _stub_fit(panel: pd.DataFrame) -> list[tuple[str, object]]:
    return [("glm", _StubModel()), ("trend", "needs adoption counts in ≥ 3 years")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_source_golden(project, lang):
    source = report_source(load_inputs(YEAR, project), lang, engine_label="ENGINE", fit=_stub_fit)
    text = _normalized(source.text)
    golden = GOLDEN / f"report_source.{lang}.qmd"
    if os.environ.get("CPPCC_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"{golden} missing: run `make test-update`"
    assert text == golden.read_text(encoding="utf-8"), f"source changed; if intended, run `make test-update` ({golden})"


def test_source_numbers_come_from_the_panel(project):
    inputs = load_inputs(YEAR, project)
    text = report_source(inputs, "zh", "ENGINE").text
    this = inputs.this_year
    # one committee's count is "at least": the total is a lower bound
    assert (this["proposals.received__qualifier"] == "at_least").sum() == 1
    assert f"≥{this['proposals.received'].sum():,.0f} (n = {len(this)})" in text
    assert f"{this['proposals.adopted'].sum():,.0f} (n = {len(this)})" in text
    for _, row in this.iterrows():
        assert f"{row['rate.adoption_filed']:.1f} [{row['rate.adoption_filed__lo']:.1f}, " in text


def test_models_section_reads_the_models_module(project):
    pytest.importorskip("cppcc_study.models")
    text = report_source(load_inputs(YEAR, project), "en", "ENGINE").text
    section = text.split("{#models}")[1].split("{#committees}")[0]
    assert "Quasi\\-binomial regression" in section and "Not available" not in section
    assert "| Term | coef |" in section  # estimates with their terms


def test_models_section_states_why_not(project):
    inputs = load_inputs(YEAR, project)
    text = report_source(inputs, "zh", "ENGINE", fit=lambda panel: "too few committees").text
    assert "暂无：too few committees" in text


def test_source_escapes_document_text(project):
    text = report_source(load_inputs(YEAR, project), "en", "ENGINE").text
    assert "<script>" not in text and "\\<script\\>" in text


def test_missing_runs_say_not_available(tmp_path):
    write_report_fixture(tmp_path, figures=False, skip_runs=("深圳市",))
    shutil.rmtree(tmp_path / "reports" / "build" / str(YEAR) / "comparison")
    text = report_source(load_inputs(YEAR, tmp_path), "en", "ENGINE").text
    assert text.count("Not available:") >= 2
    assert escape_md(f"reports/build/{YEAR}/comparison/outputs.json does not exist") in text
    # the reason is its own paragraph: the next committee's heading stays a heading
    assert re.search(r"Not available: [^\n]*\n\n+## ", text)


def test_unknown_year_is_an_input_error(project):
    with pytest.raises(InputError, match="no committee reports for 1999"):
        load_inputs(1999, project)


def test_build_report_rejects_bad_arguments(project):
    with pytest.raises(ParameterError):
        build_report(YEAR, "fr", ["html"], "pandoc", root=project)
    with pytest.raises(ParameterError):
        build_report(YEAR, "zh", ["docx"], "pandoc", root=project)


# --------------------------------------------------------------------------- renders


@pytest.mark.slow
def test_failed_build_keeps_the_previous_report(project, rendered, monkeypatch):
    target = rendered["zh.html"]
    before = target.read_bytes()

    def broken(qmd, fmt, output, engine):
        Path(output).write_text("half", encoding="utf-8")
        raise render_mod.RenderError("engine crashed")

    monkeypatch.setattr(report_mod, "render", broken)
    with pytest.raises(render_mod.RenderError):
        build_report(YEAR, "zh", ["html"], "pandoc", root=project)
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "temporary files left behind"


@needs_poppler
def test_pdf_with_the_font_wheels(tmp_path, monkeypatch):
    """Machines without Debian's fonts use the PyPI font wheels (traditional glyph forms, real bold)."""
    from cppcc_study.fonts import CjkFont, _wheel_file
    from cppcc_study.report_source import SUPPORT_FILES

    regular = _wheel_file("cvttf_NotoSansCJK_Regular", "NotoSansCJKtc-Regular.otf")
    bold = _wheel_file("cvttf_NotoSansCJK_Bold", "NotoSansCJKtc-Bold.otf")
    if regular is None or bold is None:
        pytest.skip("the cvttf-notosanscjk font wheels are not installed")
    monkeypatch.setattr(render_mod, "find_cjk_font", lambda: CjkFont("Noto Sans CJK TC", regular, bold, "wheel"))
    for name in SUPPORT_FILES:
        shutil.copy(Path(report_mod.__file__).parent / "templates" / name, tmp_path / name)
    qmd = tmp_path / "t.qmd"
    qmd.write_text(front_matter(YEAR, "zh") + "\n\n# 标题\n\n正文中文\n", encoding="utf-8")
    render_mod.render_pandoc(qmd, "pdf", tmp_path / "t.pdf")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJKtc-Bold" in fonts and "NotoSansCJKtc-Regular" in fonts, fonts
    assert "正文中文" in _pdftotext(tmp_path / "t.pdf")


EVIL_NAME = '<i>坏</i>#set*_$@[x](y)\\市'


@pytest.mark.slow
@needs_poppler
def test_committee_names_are_escaped_in_both_formats(tmp_path):
    write_report_fixture(tmp_path, committees=[(EVIL_NAME, "prefecture", "广东省"), ("广州市", "prefecture", "广东省")],
                         years=(YEAR,), figures=False)
    for lang in ("zh", "en"):
        html_path, pdf = build_report(YEAR, lang, ["html", "pdf"], "pandoc", root=tmp_path)
        parsed = _parse(html_path.read_text(encoding="utf-8"))
        assert "i" not in {t for t, _ in parsed.tags}, "a committee name made an element"
        assert EVIL_NAME in "".join(parsed.text)
        assert EVIL_NAME in _pdftotext(pdf)


@pytest.mark.slow
def test_builds_are_reproducible(tmp_path, monkeypatch):
    write_report_fixture(tmp_path, figures=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # fixes the PDF's creation date
    first = [p.read_bytes() for p in build_report(YEAR, "en", ["html", "pdf"], "pandoc", root=tmp_path)]
    second = [p.read_bytes() for p in build_report(YEAR, "en", ["html", "pdf"], "pandoc", root=tmp_path)]
    assert first == second


@pytest.mark.slow
def test_outputs_are_where_the_contract_says(project, rendered):
    assert rendered["zh.pdf"] == report_path(YEAR, "zh", "pdf", project)
    assert rendered["en.html"].name == f"cppcc-annual-{YEAR}.en.html"
    assert (project / "reports" / "source" / str(YEAR) / "report.zh.qmd").is_file()


@pytest.mark.slow
def test_html_is_self_contained_and_escaped(rendered):
    for lang in ("zh", "en"):
        doc = rendered[f"{lang}.html"].read_text(encoding="utf-8")
        parsed = _parse(doc)
        for tag, attrs in parsed.tags:
            for attr in ("src", "href"):
                value = attrs.get(attr) or ""
                assert not re.match(r"^(https?:|//|file:)", value), f"external resource {tag} {attr}={value[:80]}"
            if tag == "link":
                assert attrs.get("rel") != "stylesheet", "stylesheet not inlined"
        images = [a for t, a in parsed.tags if t == "img"]
        assert images and all((a.get("src") or "").startswith("data:") for a in images)
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", doc, flags=re.S)
        assert len(scripts) == 1 and "sortable" in scripts[0], "only the sorting script may run"
        assert _flat(EVIL) in _flat("".join(parsed.text))
        assert "广州市" in "".join(parsed.text)
    assert "Guǎngzhōu Shì" in rendered["en.html"].read_text(encoding="utf-8")


@pytest.mark.slow
@needs_poppler
def test_pdf_fonts_text_and_page_one(project, rendered):
    inputs = load_inputs(YEAR, project)
    for lang in ("zh", "en"):
        pdf = rendered[f"{lang}.pdf"]
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(" yes " in line for line in cjk), f"CJK font not embedded:\n{fonts}"
        assert any("Bold" in line for line in cjk), "headings need a real bold face"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info
        text = _pdftotext(pdf)
        flat = _flat(text)
        for name in inputs.this_year["committee"]:
            assert name in flat
        assert f"{inputs.this_year['proposals.received'].sum():,.0f}" in text
        assert _flat(EVIL) in flat, "document text must print literally in the PDF"
        assert re.search(r"^\s*2\s*$", text.split("\f")[1].strip().splitlines()[-1]), "page numbers"
    assert "Guǎngzhōu Shì" in _pdftotext(rendered["en.pdf"])
    if shutil.which("pdftoppm"):
        folder = Path(tempfile.mkdtemp(prefix="cppcc-report-page1-"))
        for lang in ("zh", "en"):
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "3", str(rendered[f"{lang}.pdf"]),
                            str(folder / lang)], check=True)
        print(f"\npages 1-3 of the fixture reports, for a person to look at: {folder}")
        assert list(folder.glob("*.png"))


@pytest.mark.slow
@pytest.mark.skipif(_chromium_missing(), reason="chromium not installed: run scripts/setup.sh as root "
                                                "or apt-get install chromium")
def test_html_opens_offline_in_chromium(rendered):
    pytest.importorskip("websocket", reason="websocket-client (dev dependency) not installed")
    from cdp_page import Page

    with Page(rendered["zh.html"]) as page:
        assert page.log.console_errors == [] and page.log.exceptions == []
        leaving = [u for u in page.log.requests if not u.startswith(("data:", "about:", "blob:"))
                   and u != rendered["zh.html"].resolve().as_uri()]
        assert leaving == [], f"requests left the page: {leaving}"
        assert page.evaluate("document.querySelectorAll('img').length") >= 1
        assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        # sorting by the 'received' column puts the rows in numeric order
        col = "Array.from(document.querySelectorAll('.sortable tbody tr')).map(r => r.cells[1].textContent)"
        page.evaluate("document.querySelectorAll('.sortable thead th')[1].click()")
        values = [float(v.replace(",", "").lstrip("≥≤≈")) for v in page.evaluate(col)]
        assert values == sorted(values)
        page.evaluate("document.querySelectorAll('.sortable thead th')[1].click()")
        values = [float(v.replace(",", "").lstrip("≥≤≈")) for v in page.evaluate(col)]
        assert values == sorted(values, reverse=True)
        assert page.log.console_errors == [] and page.log.exceptions == []
