"""CITATION.cff is valid Citation File Format 1.2.0 and names the package's current version."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Required keys and allowed top-level keys of CFF 1.2.0 (schema.json of the format).
REQUIRED = {"cff-version", "message", "title", "authors"}
ALLOWED = REQUIRED | {
    "abstract", "commit", "contact", "date-released", "doi", "identifiers", "keywords", "license",
    "license-url", "preferred-citation", "references", "repository", "repository-artifact",
    "repository-code", "type", "url", "version",
}


def test_citation_file_is_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert REQUIRED <= set(cff) and set(cff) <= ALLOWED
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] in ("software", "dataset")
    assert cff["authors"] and all(("name" in a) or ("family-names" in a) for a in cff["authors"])
    assert isinstance(cff["keywords"], list) and all(isinstance(k, str) for k in cff["keywords"])


def test_citation_version_and_license_follow_pyproject():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # tomllib is 3.11+; we support 3.10
    assert str(cff["version"]) == re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1)
    assert cff["license"] == re.search(r'^license = "([^"]+)"', pyproject, re.M).group(1)
