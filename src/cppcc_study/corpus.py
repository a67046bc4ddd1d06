"""Documents in: finding them in a folder, decoding their bytes, taking the text of web pages.

Encodings are detected, not assumed: a BOM wins, then strict UTF-8, then
``charset-normalizer`` restricted to the encodings Chinese pages use (GB18030 covers
GBK and GB2312; Big5 for traditional-script sites). Saved web pages (.html/.htm) lose
scripts, styles, navigation, forms and comment boxes (selectolax); the text of what
remains is the document, and offsets refer to that text.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

SUFFIXES = (".txt", ".html", ".htm", ".md")
MAX_BYTES = 10 * 1024 * 1024  # a work report is a few dozen KB; anything this large is not one
CANDIDATE_ENCODINGS = ("gb18030", "big5", "utf_16", "utf_8")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "button", "select", "textarea", "svg", "template")
_DROP_SELECTORS = ('[class*="comment"]', '[id*="comment"]', '[class*="nav"]', '[class*="share"]',
                   '[class*="breadcrumb"]', '[class*="footer"]', '[class*="sidebar"]', '[class*="related"]',
                   '[class*="discuss"]', '[id*="discuss"]', '[id*="cmt"]', '[class*="cmt"]',  # WeChat's 留言
                   '[style*="display:none"]', '[style*="display: none"]', '[hidden]')  # hidden drafts
# a line break a page's editor put inside a phrase (共收到提案<br>426件, 编报<br>社情民意信息) is no break
_BREAK_IN_SENTENCE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*<br\b[^>]*>[ \t\r\n]*"
                                r"(?=\d+(?:\.\d+)?[%件条篇期名个家项次人]|[\u4e00-\u9fff])", re.I)
# a line break in the page's source is a space, as a browser shows it (blocks make the lines)
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_ONLY_A_DATE = re.compile(r"[\s\d./:年月日()\[\]（）-]*")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "dl", "caption", "figure", "figcaption",
               "thead", "tbody", "tfoot", "main", "center", "hr", "address", "fieldset", "legend", "details",
               "summary")
_CELL_BLOCKS = "p, div, br, table, ul, ol, li"  # a cell holding these is layout, not data


@dataclass(frozen=True)
class Document:
    """A decoded document: ``text`` is what offsets and evidence refer to."""

    doc_id: str
    path: Path
    text: str
    sha256: str
    encoding: str
    url: str = ""
    committee_hint: str = ""


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a document's bytes; return (text, encoding). Raises InputError when impossible."""
    if not data.strip():
        raise InputError(path, "empty file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary file (NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is None:
        raise InputError(path, "undecodable bytes: not UTF-8, GB18030 or Big5 text")
    text = str(best)
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t"))
    if bad > max(8, len(text) // 200):
        raise InputError(path, f"undecodable bytes: {bad} characters could not be decoded ({best.encoding})")
    return text, best.encoding


def html_to_text(html: str) -> str:
    """The readable text of a saved web page: one line per block, furniture removed."""
    from selectolax.lexbor import LexborHTMLParser

    html = _SOURCE_BREAK.sub(" ", html) if "<pre" not in html else html
    if "<br" in html or "<BR" in html:
        html = _BREAK_IN_SENTENCE.sub("", html)
    tree = LexborHTMLParser(html)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for selector in _DROP_SELECTORS:
        for node in tree.css(selector):
            node.decompose()
    for item in tree.css("li, p, dd, dt"):
        # a list item or paragraph that is only a link (and its date) is a headline of another
        # page (相关新闻, 热点推荐)
        link = item.css_first("a")
        if link is not None and _ONLY_A_DATE.fullmatch(item.text(strip=True).replace(link.text(strip=True), "", 1)):
            item.decompose()
    # the article: the longest <article> (a mobile page may hold its story in a <div> and
    # recommendation cards in <article>s: then no <article> is long enough to be the story)
    articles = sorted(tree.css("article"), key=lambda n: len(n.text(strip=True)), reverse=True)
    article = None
    if articles:  # (the body's text is measured only on pages that have <article>s)
        body_length = len(tree.body.text(strip=True)) if tree.body is not None else 0
        article = articles[0] if len(articles[0].text(strip=True)) * 3 >= body_length else None
    if article is None:
        for card in articles:  # too short to be the story: cards of other pages
            card.decompose()
    root = article or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return ""
    for row in root.css("tr"):
        # a data table's row stays one line, its cells split by tabs (年份<TAB>收到提案<TAB>立案), so
        # tables.py reads it as it reads a statistics page; a layout table's cells are blocks
        cells = [node for node in row.iter() if node.tag in ("td", "th")]
        data = all(cell.css_first(_CELL_BLOCKS) is None or _one_paragraph(cell) for cell in cells)
        for cell in cells:
            if data:
                for paragraph in cell.css("p"):
                    paragraph.unwrap()  # a table pasted from Word wraps each cell in <p class=MsoNormal>
            cell.insert_after("\t" if data else "\n")
    for tag in _BLOCK_TAGS:  # a block starts and ends a line (the source's own line breaks are spaces)
        for node in root.css(tag):
            node.insert_before("\n")
            node.insert_after("\n")
    text = root.text(separator="", strip=False)
    title = tree.css_first("title")
    title_text = title.text(strip=True) if title is not None else ""
    if title_text and title_text not in text:
        text = title_text + "\n" + text  # the page title often names the committee, the body only 区政协
    lines = [re.sub(r" *\t[ \t]*", "\t", re.sub(r"[ \u00a0]+", " ", line)).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _one_paragraph(cell) -> bool:
    """Whether a table cell holds just one short paragraph, no sentence (a data cell pasted from
    Word), not a layout cell's prose."""
    if len(cell.css(_CELL_BLOCKS)) != 1 or cell.css_first("p") is None:
        return False
    text = cell.text(strip=True)
    return len(text) <= 20 and "。" not in text


def read_metadata(folder: Path) -> dict[str, dict[str, str]]:
    """``metadata.csv`` of a corpus folder as {doc_id: {url, committee, ...}} (empty when absent)."""
    path = folder / "metadata.csv"
    if not path.is_file():
        return {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, f"cannot read corpus metadata: {exc}") from exc
    if rows and "doc_id" not in rows[0]:
        raise InputError(path, "corpus metadata needs a doc_id column")
    return {r["doc_id"].strip(): {k: (v or "").strip() for k, v in r.items() if k} for r in rows if r.get("doc_id")}


def list_documents(folder: Path) -> list[Path]:
    """The document files of a corpus folder (recursively), sorted by name."""
    if not folder.is_dir():
        raise InputError(folder, "not a folder")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not p.name.startswith("."))
    if not files:
        raise InputError(folder, f"no documents ({', '.join(SUFFIXES)}) in this folder")
    return files


def read_document(path: Path, metadata: dict[str, dict[str, str]] | None = None) -> Document:
    """Read and decode one document. Raises InputError naming the file and the problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is {size / 2**20:.0f} MB; a report is at most {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    text, encoding = decode_bytes(data, path)
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    if not text.strip():
        raise InputError(path, "no text in the document")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise InputError(path, "no Chinese text in the document")
    meta = (metadata or {}).get(path.stem, {})
    return Document(
        doc_id=path.stem,
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        url=meta.get("url", ""),
        committee_hint=meta.get("committee", ""),
    )


def iter_corpus(folder: Path) -> Iterator[Document | InputError]:
    """Every document of a corpus folder, or the InputError that stopped it, in name order."""
    metadata = read_metadata(folder)
    for path in list_documents(folder):
        try:
            yield read_document(path, metadata)
        except InputError as exc:
            yield exc
