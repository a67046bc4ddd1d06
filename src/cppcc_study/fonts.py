"""Finding a CJK font for figures and PDFs.

Order of preference: Noto Sans CJK SC from the system (Debian ``fonts-noto-cjk``:
simplified-Chinese glyph forms, real bold), then the Noto Sans CJK font wheels from
PyPI (``cvttf-notosanscjk-regular``/``-bold``; traditional-Chinese glyph forms, but
no root needed). Set ``CPPCC_CJK_FONT_DIR`` to use fonts from another folder.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SYSTEM_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))


@dataclass(frozen=True)
class CjkFont:
    """A CJK font family with its regular and bold files (bold may equal regular)."""

    family: str
    regular: Path
    bold: Path
    source: str  # "system" | "wheel" | "env"

    @property
    def files(self) -> list[Path]:
        return sorted({self.regular, self.bold})

    @property
    def dirs(self) -> list[Path]:
        return sorted({p.parent for p in self.files})


def _wheel_file(module: str, name: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / name
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont | None:
    """The best available CJK font, or None when there is none."""
    env = os.environ.get("CPPCC_CJK_FONT_DIR")
    if env:
        files = sorted(p for p in Path(env).glob("*") if p.suffix.lower() in (".otf", ".ttf", ".ttc"))
        if files:
            bold = next((p for p in files if "bold" in p.name.lower()), files[0])
            regular = next((p for p in files if "bold" not in p.name.lower()), files[0])
            return CjkFont("Noto Sans CJK SC", regular, bold, "env")
    for folder in SYSTEM_DIRS:
        regular, bold = folder / "NotoSansCJK-Regular.ttc", folder / "NotoSansCJK-Bold.ttc"
        if regular.is_file():
            return CjkFont("Noto Sans CJK SC", regular, bold if bold.is_file() else regular, "system")
    regular = _wheel_file("cvttf_NotoSansCJK_Regular", "NotoSansCJKtc-Regular.otf")
    bold = _wheel_file("cvttf_NotoSansCJK_Bold", "NotoSansCJKtc-Bold.otf")
    if regular:
        return CjkFont("Noto Sans CJK TC", regular, bold or regular, "wheel")
    return None


def configure_matplotlib() -> str | None:
    """Register the CJK font with matplotlib and make it the default sans-serif; return its family."""
    import matplotlib
    from matplotlib import font_manager

    font = find_cjk_font()
    if font is None:
        return None
    for path in font.files:
        font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(font.regular)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    # Reproducible files: no creation dates or tool versions inside SVG/PDF/PNG.
    matplotlib.rcParams["svg.hashsalt"] = "cppcc-study"
    matplotlib.rcParams["svg.fonttype"] = "path"
    return family
