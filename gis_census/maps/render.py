"""Drawing page specs to PDF with reportlab's canvas (never Qt).

A page is a :class:`PageSpec`: compound paths and texts already placed in page millimetres,
so that drawing does no geometry and no layout; a chunk of pages goes to one PDF file, the
font subset embedded once per file as CID TrueType with a ToUnicode map (so ``pdftotext``
gives back 小, not the look-alike radical ⼩).

Why reportlab and not matplotlib: the pages are already laid out, so a plotting library adds
nothing but cost. matplotlib's PDF backend spent about 2 ms on each text (7 of 8.6 s for 27
pages with 3,569 texts) and reached 7 pages/s on two processes; reportlab writes the same
pages many times faster (see ``bench/maps_bench.py``). Qt's QPdfWriter is faster still but its
CJK text extracts as Kangxi radicals, and the engine stays free of Qt.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gis_census.fonts import reportlab_font
from gis_census.maps.geometry import CLOSEPOLY, LINETO, MOVETO

__all__ = ["PathItem", "TextItem", "ImageItem", "PageSpec", "render_pages", "PageNumbers", "PT_PER_MM"]

PT_PER_MM = 72 / 25.4


@dataclass
class PathItem:
    """A compound path in page mm: vertices (N, 2), matplotlib path codes (N,), fill and stroke."""

    vertices: np.ndarray
    codes: np.ndarray
    face: str | None = None
    edge: str | None = None
    lw: float = 0.2  # mm
    dash: tuple[float, ...] | None = None  # mm on, off, …
    z: float = 1.0
    clip: bool = False
    alpha: float = 1.0
    join: str = "round"


@dataclass
class TextItem:
    """A text at (x, y) page mm; `size` in points."""

    x: float
    y: float
    s: str
    size: float
    ha: str = "center"
    va: str = "center"
    bold: bool = False
    color: str = "black"
    rotation: float = 0.0
    z: float = 5.0
    clip: bool = False


@dataclass
class ImageItem:
    """An RGB picture (rows, columns, 3 uint8; first row at the top) filling the box (x, y, w, h) page mm,
    drawn under everything else."""

    x: float
    y: float
    w: float
    h: float
    rgb: np.ndarray


@dataclass
class PageSpec:
    """Everything one page shows, placed; `clip` is the map frame (x, y, w, h) that clipped items stay in."""

    width: float
    height: float
    paths: list[PathItem] = field(default_factory=list)
    texts: list[TextItem] = field(default_factory=list)
    clip: tuple[float, float, float, float] | None = None
    images: list[ImageItem] = field(default_factory=list)
    bookmark: str | None = None
    bookmark_level: int = 0


_COLOURS: dict[str, tuple[float, float, float, float]] = {}


def _rgba(colour: str) -> tuple[float, float, float, float]:
    if colour not in _COLOURS:
        from matplotlib.colors import to_rgba

        _COLOURS[colour] = to_rgba(colour)
    return _COLOURS[colour]


def draw_page(canvas, spec: PageSpec, regular: str, bold: str) -> None:
    """Draw `spec` on the current page of the reportlab `canvas` (points, origin bottom left)."""
    canvas.setPageSize((spec.width * PT_PER_MM, spec.height * PT_PER_MM))
    fonts = (reportlab_font(regular), reportlab_font(bold))
    for image in spec.images:
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        canvas.drawImage(ImageReader(Image.fromarray(image.rgb, "RGB")), image.x * PT_PER_MM, image.y * PT_PER_MM,
                         image.w * PT_PER_MM, image.h * PT_PER_MM)
    # matplotlib's order, which the page builders were written for: by z, paths before texts at equal z.
    items = sorted([(p.z, 0, i, p) for i, p in enumerate(spec.paths)] + [(t.z, 1, i, t) for i, t in enumerate(spec.texts)],
                   key=lambda item: item[:3])
    clipped = False
    state: dict[str, object] = {}  # the font and colour last set, so that each is written only when it changes
    for _, _, _, item in items:
        if item.clip and spec.clip is not None and not clipped:
            canvas.saveState()
            frame = canvas.beginPath()
            frame.rect(*(v * PT_PER_MM for v in spec.clip))
            canvas.clipPath(frame, stroke=0, fill=0)
            clipped, state = True, {}
        elif clipped and not item.clip:
            canvas.restoreState()
            clipped, state = False, {}
        if isinstance(item, PathItem):
            _draw_path(canvas, item)
        else:
            _draw_text(canvas, item, fonts, state)
    if clipped:
        canvas.restoreState()


_OPS = {MOVETO: "m", LINETO: "l"}


def _draw_path(canvas, item: PathItem) -> None:
    """One compound path, written as PDF operators in one piece (reportlab's per-point path object is slow)."""
    if not len(item.vertices) or (item.face is None and item.edge is None):
        return
    xy = np.round(np.asarray(item.vertices, dtype=float) * PT_PER_MM, 2).tolist()
    ops = ["h" if code == CLOSEPOLY else f"{x:g} {y:g} {_OPS.get(code, 'l')}"
           for (x, y), code in zip(xy, np.asarray(item.codes).tolist())]
    canvas.saveState()
    if item.face is not None:
        r, g, b, a = _rgba(item.face)
        canvas.setFillColorRGB(r, g, b, alpha=a * item.alpha)
    if item.edge is not None:
        r, g, b, a = _rgba(item.edge)
        canvas.setStrokeColorRGB(r, g, b, alpha=a * item.alpha)
        canvas.setLineWidth(item.lw * PT_PER_MM)
        canvas.setLineJoin(1 if item.join == "round" else 0)
        canvas.setLineCap(1 if item.join == "round" and not item.dash else 0)
        if item.dash:
            canvas.setDash([d * PT_PER_MM for d in item.dash], 0)
    paint = "B" if item.face is not None and item.edge is not None else ("f" if item.face is not None else "S")
    canvas.addLiteral("\n".join(ops) + "\n" + paint)
    canvas.restoreState()


def _draw_text(canvas, item: TextItem, fonts, state: dict) -> None:
    from reportlab.pdfbase import pdfmetrics

    font = fonts[item.bold]
    face = pdfmetrics.getFont(font).face
    ascent, descent = face.ascent / 1000 * item.size, face.descent / 1000 * item.size  # points; descent < 0
    lines = item.s.split("\n")
    leading = 1.2 * item.size
    height = ascent - descent + leading * (len(lines) - 1)
    # Baseline of the first line, in points relative to the anchor, as matplotlib places it.
    first = {"top": -ascent, "bottom": height - ascent, "center": height / 2 - ascent,
             "baseline": 0.0, "center_baseline": -0.5 * ascent * 0.72}.get(item.va, 0.0)
    if state.get("colour") != item.color:
        r, g, b, a = _rgba(item.color)
        canvas.setFillColorRGB(r, g, b, alpha=a)
        state["colour"] = item.color
    if state.get("font") != (font, item.size):
        canvas.setFont(font, item.size)
        state["font"] = (font, item.size)
    x0, y0 = item.x * PT_PER_MM, item.y * PT_PER_MM
    if item.rotation:
        canvas.saveState()
        canvas.translate(x0, y0)
        canvas.rotate(item.rotation)
        x0 = y0 = 0.0
    for n, line in enumerate(lines):
        width = pdfmetrics.stringWidth(line, font, item.size)
        dx = {"left": 0.0, "right": -width}.get(item.ha, -width / 2)
        canvas.drawString(x0 + dx, y0 + first - n * leading, line)
    if item.rotation:
        canvas.restoreState()
        state.clear()


def render_pages(specs: Iterable[PageSpec], out: str | os.PathLike, regular: str, bold: str) -> int:
    """Draw `specs` into one PDF file `out`; returns the pages written."""
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # compressed streams stay binary: ASCII85 would cost a third of the time and size
    # The initial font is ours: else reportlab lists an unembedded Helvetica in the file.
    # The file is ours to close: reportlab leaves its own file open when a write fails (a full disk).
    with open(out, "wb") as fh:
        canvas = Canvas(fh, pageCompression=1, invariant=1, initialFontName=reportlab_font(regular), initialFontSize=10)
        canvas.setCreator("gis-census")
        canvas.setProducer("gis-census (reportlab)")
        done = 0
        for spec in specs:
            draw_page(canvas, spec, regular, bold)
            canvas.showPage()
            done += 1
        canvas.save()
    return done


class PageNumbers:
    """Numbers the pages of a pypdf `writer` "第 n 页 / 共 N 页" at their foot centre, below the frame's margin,
    while the document is joined.

    Each page's own part, `number(n)` ("第 n 页"), is stamped as soon as its part file is joined, while the
    workers still draw the next parts; the total, `total(N)` ("/ 共 N 页"), known only once the document is
    whole, is one form XObject that every page shows, written by :meth:`finish`. The space between the two
    lies at the page's centre. A stamp is a few PDF operators in one font subset that reportlab makes once
    for the digits and the words: reportlab drawing every page's number and pypdf reading it back cost
    0.4 s for 470 pages once the last part was in; these stamps cost 0.04 s (see ``bench/maps_bench.py``)."""

    SIZE = 8  # points
    GREY = b"0.2 0.2 0.2 rg"

    def __init__(self, writer, number: Callable[[int], str], total: Callable[[int], str], regular: str,
                 y_mm: float = 8.0):
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

        self.writer, self.number, self.total, self.font = writer, number, total, reportlab_font(regular)
        self.y, self.done = y_mm * PT_PER_MM, 0
        # 1234567890: every digit a number may need
        self.codes, self.font_ref = _stamp_font(writer, self.font, number(1234567890) + total(1234567890))
        self.gap = self._width(" ")
        self.form = DecodedStreamObject()  # its drawing and box come with the total, in finish
        self.form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                          NameObject("/BBox"): ArrayObject([FloatObject(0)] * 4),
                          NameObject("/Resources"): DictionaryObject(
                              {NameObject("/Font"): DictionaryObject({NameObject("/PageNo"): self.font_ref})})})
        self.form_ref = writer._add_object(self.form)

    def stamp(self) -> None:
        """Number the writer's pages joined since the last call."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        for page in self.writer.pages[self.done:]:
            self.done += 1
            note = self.number(self.done)
            centre = float(page.mediabox.left) + float(page.mediabox.width) / 2
            x = centre - self.gap / 2 - self._width(note)
            content = (b"\nQ\nq BT /PageNo %d Tf %s %.2f %.2f Td %s Tj ET 1 0 0 1 %.2f %.2f cm /PageTotal Do Q\n"
                       % (self.SIZE, self.GREY, x, self.y, self._encoded(note), centre + self.gap / 2, self.y))
            resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
            resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()[NameObject("/PageNo")] = self.font_ref
            resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()[NameObject("/PageTotal")] = self.form_ref
            old = page.raw_get("/Contents")  # the reference: the stream itself would be copied into the array
            parts = list(old.get_object()) if isinstance(old.get_object(), ArrayObject) else [old]
            # the page's own drawing between q and Q: whatever state it ends in, the number starts afresh
            page[NameObject("/Contents")] = ArrayObject([_stream(self.writer, b"q\n"), *parts, _stream(self.writer, content)])

    def finish(self) -> None:
        """Write the total, now that every page is in, into the form all pages show."""
        from pypdf.generic import ArrayObject, FloatObject, NameObject

        note = self.total(self.done)
        self.form[NameObject("/BBox")] = ArrayObject(
            [FloatObject(v) for v in (0, -self.SIZE / 2, self._width(note) + 1, self.SIZE * 1.5)])
        self.form.set_data(b"BT /PageNo %d Tf %s 0 0 Td %s Tj ET" % (self.SIZE, self.GREY, self._encoded(note)))

    def _width(self, text: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text, self.font, self.SIZE)

    def _encoded(self, text: str) -> bytes:
        return b"<" + bytes(self.codes[c] for c in text).hex().encode() + b">"


def _stamp_font(writer, font: str, characters: str) -> tuple[dict[str, int], Any]:
    """The reportlab font `font` cut down to `characters` (drawn once by reportlab, which writes the subset
    and its ToUnicode map), added to the pypdf `writer`: each character's code in it, and its reference."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=font, initialFontSize=PageNumbers.SIZE)
    canvas.drawString(0, 0, characters)
    # reportlab's codes and name for the subset in this file (asked before saving, which forgets them)
    [(subset, codes)] = getFont(font).splitString(characters, canvas._doc)
    name = getFont(font).getSubsetInternalName(subset, canvas._doc)
    canvas.showPage()
    canvas.save()
    page: Any = PdfReader(buffer).pages[0]
    fonts = page["/Resources"]["/Font"]
    return dict(zip(characters, codes)), fonts[name].get_object().clone(writer).indirect_reference


def _stream(writer, data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)
