"""The fonts posters are set in, where they come from, and a check that they cover the text.

Every script the network uses is set in a Noto face that is embedded (subset) in each PDF:

* Latin, Cyrillic, Greek: Noto Sans, from PyPI's ``fontpkg-noto-sans`` (a project dependency);
* Arabic: Noto Sans Arabic, from Debian's ``fonts-noto-core`` (found through fontconfig). Not
  PyPI's ``fontpkg-noto-sans-arabic``: its 2.x design draws letters as a dotless base glyph plus
  dot glyphs that several letters share, so a PDF cannot map its glyphs back to letters and the
  extracted text comes out wrong (ف as ن, ق as ة…). Debian's build has one glyph per letter
  form: shaped and extractable;
* Chinese, Japanese, Korean: Noto Sans CJK, from Debian's ``fonts-noto-cjk`` (PyPI has no
  package of it), found through fontconfig.

A font that is missing, or a character that none of them has, is a ``PosterFontError`` naming
what to install, never a box of tofu on a printed poster. The fonts' character maps are read
once per process (``fontTools``, which WeasyPrint already depends on).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sitegen.errors import SitegenError


class PosterFontError(SitegenError):
    """A poster needs a font that is not installed, or a character no installed font has."""


@dataclass(frozen=True)
class Face:
    family: str  # the family name the poster CSS uses
    path: Path  # the regular face (its character map is checked)
    index: int  # face index in a collection (.ttc)
    package: str  # what to install when it is missing
    css_src: str  # the @font-face src descriptor
    bold: Path | None = None  # a static bold face, where the family has one


# CJK faces inside Debian's NotoSansCJK-*.ttc, by the language whose glyph shapes they use.
CJK_FAMILIES = {
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
    "zh": "Noto Sans CJK SC",
    "zh-Hant": "Noto Sans CJK TC",
    "zh-TW": "Noto Sans CJK TC",
    "zh-HK": "Noto Sans CJK HK",
}


def cjk_family(locale: str) -> str:
    return CJK_FAMILIES.get(locale) or CJK_FAMILIES.get(locale.split("-")[0], CJK_FAMILIES["zh"])


def _fontpkg_face(family: str, package: str) -> Face | None:
    import fontpkg

    try:
        path = Path(fontpkg.path(family, 400, "normal"))
    except fontpkg.FontpkgError:
        return None
    if not path.is_file():
        return None
    return Face(f"HW {family}", path, 0, f"the PyPI package {package}", f"url('{path.as_uri()}')")


@cache
def latin_face() -> Face | None:
    return _fontpkg_face("Noto Sans", "fontpkg-noto-sans")


def _fc_match(pattern: str, family: str) -> tuple[Path, int] | None:
    """The file fontconfig gives for ``pattern``, if it is of ``family`` (not a fallback)."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(  # noqa: S603 - fixed program, no shell
        ["fc-match", "-f", "%{family}\n%{file}\n%{index}", pattern],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    if len(found) < 3 or family not in found[0].split(","):
        return None
    path = Path(found[1])
    return (path, int(found[2] or 0)) if path.is_file() else None


@cache
def arabic_face() -> Face | None:
    family = "Noto Sans Arabic"
    regular = _fc_match(f"{family}:weight=regular", family)
    bold = _fc_match(f"{family}:weight=bold", family)
    if regular is None:
        return None
    return Face(
        "HW Noto Sans Arabic",
        regular[0],
        regular[1],
        "the Debian package fonts-noto-core",
        f"url('{regular[0].as_uri()}')",
        bold=bold[0] if bold and bold[0] != regular[0] else None,
    )


@cache
def cjk_face(family: str = "Noto Sans CJK SC") -> Face | None:
    """The system's Noto Sans CJK (``HOMEWARD_CJK_FONT`` may name the .ttc/.otf file)."""
    package = "the Debian package fonts-noto-cjk"
    configured = os.environ.get("HOMEWARD_CJK_FONT")
    if configured:
        path = Path(configured)
        return Face(family, path, 0, package, f"url('{path.as_uri()}')") if path.is_file() else None
    found = _fc_match(family, family)  # None: fontconfig fell back, the CJK fonts are missing
    if found is None:
        return None
    return Face(family, found[0], found[1], package, f"local('{family}')")


@cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


# Characters that are layout, not letters: no font needs a glyph for them.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def faces_for(text: str, locale: str) -> list[Face]:
    """The faces that set ``text`` (first match wins per character), in CSS fallback order.

    Raises ``PosterFontError`` when a needed font is missing or no font has a character.
    """
    latin, arabic = latin_face(), arabic_face()
    if latin is None:
        raise PosterFontError(
            "The poster font Noto Sans is not installed: install the PyPI package "
            "fontpkg-noto-sans (make install does)."
        )
    chosen = [latin]
    needed = {ch for ch in set(text) if unicodedata.category(ch) not in _INVISIBLE}
    missing = {ch for ch in needed if ord(ch) not in _cmap(latin.path, latin.index) and ch != " "}
    if missing and any(unicodedata.bidirectional(ch) in ("AL", "AN") for ch in missing):
        if arabic is None:
            raise PosterFontError(
                "The poster font Noto Sans Arabic is not installed: install the Debian package "
                "fonts-noto-core (make install and .ci/run do)."
            )
        chosen.append(arabic)
        missing = {ch for ch in missing if ord(ch) not in _cmap(arabic.path, arabic.index)}
    if missing:
        cjk = cjk_face(cjk_family(locale))
        if cjk is None:
            raise PosterFontError(
                f"The poster font {cjk_family(locale)} is not installed, and the poster needs it "
                f"for {_sample(missing)}: install the Debian package fonts-noto-cjk "
                "(make install and .ci/run do)."
            )
        chosen.append(cjk)
        missing = {ch for ch in missing if ord(ch) not in _cmap(cjk.path, cjk.index)}
    if missing:
        raise PosterFontError(
            f"No poster font has the characters {_sample(missing)}; the poster was not made "
            "rather than print empty boxes. Add a Noto font for that script."
        )
    return chosen


def _sample(chars: set[str]) -> str:
    shown = sorted(chars)[:8]
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in shown)


# The weights posters use. The PyPI Noto fonts are variable fonts; a PDF cannot embed one, so
# WeasyPrint would make a static instance of each weight for every document: they are made
# once here instead and kept in a cache folder.
WEIGHTS = (400, 700, 900)


def font_cache_dir() -> Path:
    configured = os.environ.get("HOMEWARD_FONT_CACHE")
    base = Path(configured) if configured else Path(tempfile.gettempdir()) / "homeward-fonts"
    base.mkdir(parents=True, exist_ok=True)
    return base


@cache
def static_instance(path: Path, weight: int) -> Path:
    """A static font file of one weight of a variable font (the font itself if static)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    target = font_cache_dir() / f"{path.stem.split('[')[0]}-{weight}-{digest}-1.ttf"
    if target.is_file():
        return target
    font = TTFont(str(path))
    if "fvar" not in font:
        return path
    axes = {axis.axisTag: axis for axis in font["fvar"].axes}
    location = {tag: axis.defaultValue for tag, axis in axes.items()}
    if "wght" in axes:
        location["wght"] = min(max(weight, axes["wght"].minValue), axes["wght"].maxValue)
    static = instancer.instantiateVariableFont(font, location, updateFontNames=False)
    # The same bytes on every machine: no "modified now" stamp (it would reach every PDF).
    static.recalcTimestamp = False
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    static.save(str(partial))
    partial.replace(target)  # atomic: parallel builds never read a half-written font
    return target


FONTS_URI = "file:///homeward-fonts/"


def font_face_css(faces: list[Face]) -> tuple[str, dict[str, Path]]:
    """``@font-face`` rules for the bundled faces (fontconfig ones are found by name), and the
    file behind each address they use. The addresses are the same on every machine: a PDF's
    bytes must not depend on where a font file lies (the font cache is a temporary folder)."""
    rules = []
    files: dict[str, Path] = {}
    for face in faces:
        if not face.css_src.startswith("url("):
            continue
        for weight in WEIGHTS:
            if face.bold is not None:  # a static family: regular, and bold for heavier text
                path = face.path if weight < 600 else face.bold
            else:
                path = static_instance(face.path, weight)
            address = f"{FONTS_URI}{path.name}"
            files[address] = path
            rules.append(
                f"@font-face {{ font-family: '{face.family}'; src: url('{address}'); "
                f"font-weight: {weight}; }}"
            )
    return "\n".join(rules), files


def font_stack(faces: list[Face]) -> str:
    return ", ".join(f"'{face.family}'" for face in faces)
