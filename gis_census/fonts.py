"""The Simplified-Chinese font of printed maps and reports, prepared so that it embeds cleanly in a PDF.

Two traps, both checked by the tests with poppler and qpdf:

- A CJK collection (.ttc) opens on its first face, usually the Japanese one, whose glyphs
  for some characters look wrong to Chinese readers: the SC face is chosen by name.
- Noto/Source Han CJK faces have CFF (PostScript) outlines. A PDF embeds a TrueType font as
  CIDFontType2 (a ``FontFile2`` stream, which must be TrueType), so a CFF face there gives
  poppler's "Mismatch between font type and embedded font file", and drawing the glyphs as
  pictures instead leaves CJK text that ``pdftotext`` cannot read.

So the SC face is cut down with fontTools to the characters a job prints, its cubic CFF
outlines converted to quadratic TrueType outlines (``glyf``), and the result cached as a small
standalone ``.ttf`` file. reportlab then embeds a genuine TrueType subset:
``pdffonts`` shows ``CID TrueType``, ``emb yes``, ``uni yes``, and the text stays searchable.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gis_census.errors import CensusError
from gis_census.outputs import write_failed

__all__ = ["FontFace", "find_sc_face", "map_font", "reportlab_font", "TextMeasure", "BASE_CHARS", "cache_dir"]

#: Characters every map may print whatever its data: ASCII and common CJK punctuation.
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "（）：，、。；—–·…×°²％“”‘’《》【】〔〕～　"

_SC_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "SimHei",
                "Noto Sans SC", "WenQuanYi Micro Hei", "SimSun")
_CANDIDATES = {
    "regular": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
        "/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "C:/Windows/Fonts/msyh.ttc",
        "C:/Windows/Fonts/simhei.ttf",
        "C:/Windows/Fonts/simsun.ttc",
        "/System/Library/Fonts/PingFang.ttc",
    ],
    "bold": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Bold.otf",
        "/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Bold.ttc",
        "C:/Windows/Fonts/msyhbd.ttc",
    ],
}


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: its path, index within a collection, and PostScript name."""

    path: str
    index: int
    psname: str
    family: str


def _faces(path: str) -> list[tuple[int, str, str, bool]]:
    """(index, family, PostScript name, is CFF) of each face in the font file `path`."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        fonts = TTCollection(path, lazy=True).fonts
    else:
        fonts = [TTFont(path, lazy=True)]
    out = []
    for i, font in enumerate(fonts):
        name = font["name"]
        family = str(name.getDebugName(16) or name.getDebugName(1) or "")
        out.append((i, family, str(name.getDebugName(6) or ""), "CFF " in font))
    return out


def _sc_index(faces) -> int | None:
    """The index of the Simplified-Chinese face of a file, or None when it has none."""
    for index, family, psname, _ in faces:
        if "mono" in family.lower():
            continue
        if family.endswith((" SC", " CN")) or psname.lower().split("-")[0].endswith(("sc", "cn")):
            return index
    for index, family, _, _ in faces:  # a file of one Simplified-Chinese family (YaHei, SimHei, SimSun)
        if any(family.startswith(f) for f in _SC_FAMILIES):
            return index
    return None


@lru_cache(maxsize=4)
def find_sc_face(weight: str = "regular") -> FontFace:
    """The installed Simplified-Chinese face of `weight` ("regular" or "bold").

    The environment variable GIS_CENSUS_MAP_FONT may name a font file (its SC face is
    taken, else its first face). Bold falls back to regular when no bold face is installed.
    Raises CensusError ("map_no_font") when no Simplified-Chinese font is installed.
    """
    paths = [os.environ["GIS_CENSUS_MAP_FONT"]] if os.environ.get("GIS_CENSUS_MAP_FONT") else []
    paths += _CANDIDATES.get(weight, [])
    paths += _font_manager_paths(weight)
    for path in paths:
        if not os.path.isfile(path):
            continue
        try:
            faces = _faces(path)
        except Exception:
            continue
        index = _sc_index(faces)
        if index is None and path == os.environ.get("GIS_CENSUS_MAP_FONT"):
            index = 0
        if index is not None:
            _, family, psname, _ = faces[index]
            return FontFace(path, index, psname, family)
    if weight != "regular":
        return find_sc_face("regular")
    raise CensusError("map_no_font")


def _font_manager_paths(weight: str) -> list[str]:
    """Font files matplotlib's font manager knows (it also draws the report's overview map) whose family is
    a Simplified-Chinese one."""
    try:
        from matplotlib import font_manager
    except ImportError:  # pragma: no cover
        return []
    wanted = [e for e in font_manager.fontManager.ttflist if any(e.name.startswith(f) for f in _SC_FAMILIES)]
    bold = [e for e in wanted if (e.weight in ("bold", 700)) == (weight == "bold")]
    return [e.fname for e in bold or wanted]


def cache_dir() -> Path:
    """Where prepared fonts are kept: GIS_CENSUS_CACHE, else the user's cache folder."""
    if os.environ.get("GIS_CENSUS_CACHE"):
        base = Path(os.environ["GIS_CENSUS_CACHE"])
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "gis-census" / "cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gis-census"
    return base / "fonts"


def map_font(chars: str, weight: str = "regular") -> Path:
    """A cached TrueType font file holding the SC face's glyphs for `chars` (plus BASE_CHARS).

    Built once per character set (under a second for a township's names and addresses) and
    written atomically, so parallel workers may ask for it at the same time.
    """
    face = find_sc_face(weight)
    wanted = "".join(sorted(set(chars) | set(BASE_CHARS)))
    stat = os.stat(face.path)
    key = hashlib.sha1(f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}|{wanted}".encode()).hexdigest()[:16]
    folder = cache_dir()
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", face.psname or "sc").lstrip(".") or "sc"  # a name from the font file
    target = folder / f"{stem}-{key}.ttf"
    if target.exists():
        return target
    font = _subset(face, wanted)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".ttf", dir=folder)
        with os.fdopen(fd, "wb") as fh:  # our file to close, also when the disk is full
            font.save(fh)
        os.replace(tmp, target)
    except OSError as exc:
        raise write_failed(target, exc) from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    _prune(folder, keep=target)
    return target


def _subset(face: FontFace, chars: str):
    """The face cut down to `chars`, with TrueType outlines."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index if face.path.lower().endswith((".ttc", ".otc")) else -1)
    options = subset.Options()
    options.layout_features = []  # the maps do no shaping: drop GSUB/GPOS
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "JSTF", "MATH"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    return font


def _cff_to_glyf(font, max_err: float = 1.0) -> None:
    """Replace the CFF outlines of `font` by quadratic TrueType ones (as fontTools' otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames, post.mapping = [], {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    glyf.compile(font)  # fills loca and the bounding boxes
    font.recalcBBoxes = True


def _prune(folder: Path, keep: Path, limit: int = 24) -> None:
    """Remove the oldest prepared fonts beyond `limit`."""
    try:
        files = sorted(folder.glob("*.ttf"), key=lambda p: p.stat().st_mtime)
        for path in files[:-limit]:
            if path != keep:
                path.unlink(missing_ok=True)
    except OSError:
        pass


class TextMeasure:
    """Advance widths of text in a prepared font, to size label boxes in page millimetres before drawing."""

    def __init__(self, path: str | os.PathLike):
        from fontTools.ttLib import TTFont

        font = TTFont(str(path), lazy=True)
        upm = font["head"].unitsPerEm
        hmtx, cmap = font["hmtx"].metrics, font.getBestCmap()
        self._em = {chr(u): hmtx[g][0] / upm for u, g in cmap.items()}
        ascent, descent = font["hhea"].ascent, font["hhea"].descent
        self.height_em = (ascent - descent) / upm

    def width_mm(self, text: str, size_pt: float) -> float:
        """Width of `text` set at `size_pt` points, in millimetres (unknown characters count 1 em)."""
        return sum(self._em.get(c, 1.0) for c in text) * size_pt * 25.4 / 72


_FONTS: dict[str, str] = {}  # font file -> reportlab font name


def reportlab_font(path: str) -> str:
    """The reportlab name of the TrueType font file `path`, registered on first use."""
    if path not in _FONTS:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = f"F{len(_FONTS)}-{Path(path).stem}"
        font = TTFont(name, path)
        # reportlab hands a later font with the same face name the first one registered, so a second
        # project's subset (other names, other characters) would print as empty boxes: make it unique.
        font.face.name = font.face.name + b"-" + str(len(_FONTS)).encode()
        pdfmetrics.registerFont(font)
        _FONTS[path] = name
    return _FONTS[path]
