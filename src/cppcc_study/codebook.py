"""The indicator codebook (``codebook.yaml``) as data: loading, validation, lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from .errors import InputError
from .paths import CODEBOOK_FILE

Unit = Literal["count", "percent"]
REQUIRED = ("key", "group", "label_zh", "label_en", "unit", "definition", "definition_zh")
#: The fields a rule may have (codebook.yaml's header says what each does); a misspelt one is an error,
#: not a veto silently ignored.
RULE_FIELDS = frozenset({"match", "exclude", "exclude_before", "exclude_after", "require", "topic", "qualifier",
                         "value_from", "modifier"})


@dataclass(frozen=True)
class Indicator:
    """One codebook entry. ``unit`` is ``count`` (a number of things) or ``percent`` (0–100)."""

    key: str
    group: str
    label_zh: str
    label_en: str
    unit: Unit
    definition: str
    definition_zh: str
    wording: str = ""
    scored: bool = False
    rules: tuple[dict, ...] = field(default_factory=tuple)
    followed_by_share: str = ""
    lags: bool = False
    keywords: tuple[str, ...] = ()
    stock: bool = False

    @property
    def is_rate(self) -> bool:
        return self.unit == "percent"

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class Codebook:
    """The ordered set of indicators, with the file's sha256 for provenance."""

    version: int
    indicators: tuple[Indicator, ...]
    sha256: str

    @property
    def keys(self) -> list[str]:
        return [i.key for i in self.indicators]

    def __getitem__(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(i.key == key for i in self.indicators)

    def to_frame(self):
        """The data dictionary as a DataFrame (key, labels, unit, definitions)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "key": i.key,
                    "group": i.group,
                    "label_zh": i.label_zh,
                    "label_en": i.label_en,
                    "unit": i.unit,
                    "definition": i.definition,
                    "definition_zh": i.definition_zh,
                    "wording": i.wording,
                }
                for i in self.indicators
            ]
        )


def _validate(raw: object, path: Path) -> Codebook:
    import hashlib

    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise InputError(path, "codebook must be a mapping with a list under 'indicators'")
    seen: set[str] = set()
    items = []
    for n, entry in enumerate(raw["indicators"], 1):
        if not isinstance(entry, dict):
            raise InputError(path, f"indicator #{n} is not a mapping")
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            raise InputError(path, f"indicator #{n} ({entry.get('key', '?')}) lacks {', '.join(missing)}")
        if entry["unit"] not in ("count", "percent"):
            raise InputError(path, f"indicator {entry['key']}: unit must be count or percent, not {entry['unit']!r}")
        if entry["key"] in seen:
            raise InputError(path, f"indicator {entry['key']} is defined twice")
        seen.add(entry["key"])
        items.append(
            Indicator(
                key=entry["key"],
                group=entry["group"],
                label_zh=entry["label_zh"],
                label_en=entry["label_en"],
                unit=entry["unit"],
                definition=entry["definition"],
                definition_zh=entry["definition_zh"],
                wording=entry.get("wording", ""),
                scored=bool(entry.get("scored", False)),
                rules=tuple(entry.get("rules", ()) or ()),
                followed_by_share=entry.get("followed_by_share", "") or "",
                lags=bool(entry.get("lags", False)),
                keywords=tuple(entry.get("keywords", ()) or ()),
                stock=bool(entry.get("stock", False)),
            )
        )
    for ind in items:
        if ind.followed_by_share and ind.followed_by_share not in seen:
            raise InputError(path, f"indicator {ind.key}: followed_by_share names unknown key {ind.followed_by_share}")
        for rule in ind.rules:
            if not isinstance(rule, dict) or not isinstance(rule.get("match"), str):
                raise InputError(path, f"indicator {ind.key}: every rule needs a 'match' pattern")
            unknown = sorted(set(rule) - RULE_FIELDS)
            if unknown:
                raise InputError(path, f"indicator {ind.key}: unknown rule field {', '.join(unknown)} "
                                       f"(known: {', '.join(sorted(RULE_FIELDS))})")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Codebook(version=int(raw.get("version", 1)), indicators=tuple(items), sha256=digest)


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (a rule with two ``require:`` lines
    would otherwise keep the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=4)
def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate the codebook (the packaged one by default)."""
    path = Path(path) if path else CODEBOOK_FILE
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 - a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot read codebook: {exc}") from exc
    return _validate(raw, path)
