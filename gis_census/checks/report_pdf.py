"""The reviewer's report as a PDF to print and sign (验收): the HTML report's page laid out with reportlab, in the
maps' Simplified-Chinese face (:mod:`gis_census.fonts`: the SC face of a CJK collection, cut to the characters
printed and embedded as a TrueType subset, so that the text stays searchable and prints the same on any machine).

The PDF is made from the very page the HTML report shows (:func:`gis_census.checks.report.write_report` builds it):
every section a caller adds (the county's townships, the changes against the previous division) comes with it, and
the two files cannot say different things. Only the few tags the report writes are understood.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["write_pdf"]

_MM = 72 / 25.4
#: A4 with the map guideline's margins: 15 mm, and 25 mm on the left for binding.
_PAGE = (210 * _MM, 297 * _MM)
_MARGINS = (25 * _MM, 15 * _MM, 15 * _MM, 18 * _MM)  # left, right, top, bottom
_COLOURS = {"error": "#b00020", "warning": "#b26a00", "pass": "#1e6b2f", "fail": "#a31515"}
#: Members of a group listed in one row of the PDF's problem table (a row never outgrows a page).
_MEMBERS_PER_ROW = 12


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> list[_Node]:
        return [c for c in self.children if isinstance(c, _Node) and c.tag == tag]

    def walk(self):
        for c in self.children:
            if isinstance(c, _Node):
                yield c
                yield from c.walk()


class _Tree(HTMLParser):
    _VOID = {"img", "br", "meta"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in self._VOID:
            self._stack.append(node)

    def handle_endtag(self, tag):
        for k in range(len(self._stack) - 1, 0, -1):
            if self._stack[k].tag == tag:
                del self._stack[k:]
                return

    def handle_data(self, data):
        if self._stack[-1].tag not in ("style", "title", "head"):
            self._stack[-1].children.append(data)


def write_pdf(page: str, path: Path) -> None:
    """Lay out the report `page` (the HTML :func:`~gis_census.checks.report.write_report` writes) as an A4 PDF at
    `path` (the caller writes it atomically). Raises CensusError ("map_no_font") when no Simplified-Chinese font
    is installed."""
    from reportlab.platypus import SimpleDocTemplate

    parser = _Tree()
    parser.feed(page)
    body = next((n for n in parser.root.walk() if n.tag == "body"), parser.root)
    title = next((n.text() for n in parser.root.walk() if n.tag == "title"), "")
    styles = _Styles(body.text() + title)
    story: list = []
    _flow(body, styles, story)
    left, right, top, bottom = _MARGINS
    doc = SimpleDocTemplate(str(path), pagesize=_PAGE, leftMargin=left, rightMargin=right, topMargin=top,
                            bottomMargin=bottom, title=title, author="gis-census", invariant=1, pageCompression=1,
                            initialFontName=styles.regular, initialFontSize=9)  # else an unembedded Helvetica is listed
    doc.build(story, onFirstPage=styles.page_number, onLaterPages=styles.page_number)


class _Styles:
    """The paragraph styles of the report, in the SC face cut to the characters `chars`."""

    def __init__(self, chars: str):
        from reportlab.lib.colors import HexColor
        from reportlab.lib.styles import ParagraphStyle

        from gis_census.fonts import map_font, reportlab_font

        printed = "".join(set(chars) | set("0123456789第页/ ●■━；•"))
        self.regular = reportlab_font(str(map_font(printed, "regular")))
        self.bold = reportlab_font(str(map_font(printed, "bold")))
        base = ParagraphStyle("body", fontName=self.regular, fontSize=9, leading=12.5, wordWrap="CJK", spaceAfter=3)
        self.body = base
        self.title = ParagraphStyle("h1", base, fontName=self.bold, fontSize=15, leading=20, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", base, fontName=self.bold, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
        self.h3 = ParagraphStyle("h3", base, fontName=self.bold, fontSize=10, leading=14, spaceBefore=6)
        self.meta = ParagraphStyle("meta", base, textColor=HexColor("#555555"), spaceAfter=1)
        self.note = ParagraphStyle("note", base, fontSize=8, leading=11, textColor=HexColor("#555555"))
        self.cell = ParagraphStyle("cell", base, fontSize=7.5, leading=9.5, spaceAfter=0)
        self.head = ParagraphStyle("th", self.cell, fontName=self.bold)
        self.number = ParagraphStyle("num", self.cell, alignment=2)
        self.verdict = {kind: ParagraphStyle(kind, base, fontName=self.bold, fontSize=12, leading=16,
                                             textColor=HexColor(_COLOURS[kind]), borderColor=HexColor(_COLOURS[kind]),
                                             borderWidth=0.8, borderPadding=5, spaceBefore=6, spaceAfter=10,
                                             backColor=HexColor("#e6f4ea" if kind == "pass" else "#fdecea"))
                        for kind in ("pass", "fail")}

    def page_number(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(self.regular, 8)
        canvas.drawCentredString(_PAGE[0] / 2, 9 * _MM, f"第 {doc.page} 页")
        canvas.restoreState()


def _x(text: str) -> str:
    """`text` for reportlab's paragraph markup."""
    return re.sub(r"\s+", " ", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _width() -> float:
    return _PAGE[0] - _MARGINS[0] - _MARGINS[1]


def _flow(node: _Node, styles: _Styles, story: list) -> None:
    from reportlab.platypus import Paragraph

    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                story.append(Paragraph(_x(child), styles.body))
            continue
        tag, classes = child.tag, child.classes()
        if tag == "h1":
            story.append(Paragraph(_x(child.text()), styles.title))
        elif tag == "h2":
            story.append(Paragraph(_x(child.text()), styles.h2))
        elif tag == "h3":
            story.append(Paragraph(_x(child.text()), styles.h3))
        elif tag == "p":
            story.append(_paragraph(child, styles))
        elif tag == "table":
            story.append(_table(child, styles, signed="sign-off" in node.classes()))
        elif tag == "img":
            image = _image(child)
            if image is not None:
                story.append(image)
        elif tag in ("ul", "ol"):
            for item in child.find("li"):
                story.append(Paragraph("• " + _x(item.text()), styles.body))
        elif tag == "footer":
            story.append(Paragraph(_x(child.text()), styles.note))
        elif tag == "section" and ("sign-off" in classes or "map" in classes):
            story.append(_kept_together(child, styles))
        else:  # header, section, div, details: their content in order
            _flow(child, styles, story)


def _paragraph(node: _Node, styles: _Styles):
    from reportlab.platypus import Paragraph

    classes, text = node.classes(), _x(node.text())
    if "legend" in classes:
        return Paragraph(_legend(node), styles.note)
    if "verdict" in classes:
        return Paragraph(text, styles.verdict["pass" if "pass" in classes else "fail"])
    if "meta" in classes:
        return Paragraph(text, styles.meta)
    if "note" in classes or "legend" in classes:
        return Paragraph(text, styles.note)
    for kind in ("error", "warning"):
        if kind in classes:
            return Paragraph(f'<font color="{_COLOURS[kind]}">{text}</font>', styles.body)
    return Paragraph(text, styles.body)


def _legend(node: _Node) -> str:
    """The map's legend: each swatch as a coloured line or dot before its words."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(_x(child) + "　")
            continue
        style, classes = child.attrs.get("style", ""), child.classes()
        colour = next(iter(re.findall(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}\b", style)), "#000000")
        if "dot-warning" in classes:
            out.append('<font color="#ff8c00">●</font> ')
        elif "dot" in classes:
            out.append('<font color="#d62728">●</font>')
        elif "background" in style:
            out.append(f'<font color="{colour}">■</font> ')
        else:
            out.append(f'<font color="{colour}">━</font> ')
    return "".join(out)


def _kept_together(node: _Node, styles: _Styles):
    """The sign-off block (with room to sign and date by hand), or the map with its heading and legend, on one page."""
    from reportlab.platypus import KeepTogether, Spacer

    inner: list = []
    _flow(node, styles, inner)
    if "sign-off" in node.classes():
        inner.insert(0, Spacer(1, 6))
    return KeepTogether(inner)


def _image(node: _Node):
    from reportlab.platypus import Image

    src = node.attrs.get("src", "")
    if not src.startswith("data:image/png;base64,"):
        return None
    data = base64.b64decode(src.split(",", 1)[1])
    width, height = float(node.attrs.get("width") or 1600), float(node.attrs.get("height") or 1000)
    shown = _width()
    tall = min(shown * height / width, (_PAGE[1] - _MARGINS[2] - _MARGINS[3]) * 0.85)  # one page, with its legend
    return Image(io.BytesIO(data), width=tall * width / height, height=tall)


def _table(node: _Node, styles: _Styles, signed: bool = False):
    """A report table as a reportlab Table: header cells bold on grey, numbers right, colspans kept; a group of
    problems (its members behind <details> in the HTML) shows its members in rows of their own below it. A table
    `signed` by hand (the sign-off block) has a wide column and rows a pen fits in."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows: list[list] = []
    spans: list[tuple] = []
    heads: list[int] = []
    lengths: list[list[int]] = []
    columns = max((sum(int(c.attrs.get("colspan", 1)) for c in tr.children if isinstance(c, _Node))
                   for tr in _rows(node)), default=1)
    for tr in _rows(node):
        row: list = []
        widths: list[int] = []
        members: list[str] = []
        for cell in (c for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")):
            span = int(cell.attrs.get("colspan", 1))
            details = next((d for d in cell.walk() if d.tag == "details"), None)
            if details is not None:
                summary = next((_shown(s) for s in details.walk() if s.tag == "summary"), "")
                members = [li.text() for li in details.walk() if li.tag == "li"]
                text = summary
            else:
                text = cell.text()
            classes = cell.classes()
            style = styles.head if cell.tag == "th" else styles.number if "num" in classes else styles.cell
            markup = _x(text)
            for kind in ("error", "warning"):
                if kind in classes and markup:
                    markup = f'<font color="{_COLOURS[kind]}">{markup}</font>'
            if span > 1:
                spans.append((len(row), len(rows), len(row) + span - 1, len(rows)))
            row.append(Paragraph(markup, style))
            widths.append(_length(text) if span == 1 else 0)
            row.extend([""] * (span - 1))
            widths.extend([0] * (span - 1))
        row += [""] * (columns - len(row))
        widths += [0] * (columns - len(widths))
        if all(isinstance(c, Paragraph) and c.style is styles.head or c == "" for c in row):
            heads.append(len(rows))
        rows.append(row)
        lengths.append(widths)
        first = 1 if columns > 2 else 0  # a group's members under its row, after its number
        for k in range(0, len(members), _MEMBERS_PER_ROW):
            chunk = "；　".join(members[k:k + _MEMBERS_PER_ROW])
            spans.append((first, len(rows), columns - 1, len(rows)))
            rows.append([""] * first + [Paragraph(_x(chunk), styles.cell)] + [""] * (columns - first - 1))
            lengths.append([0] * columns)
    sizes = [32 * _MM, _width() - 32 * _MM] if signed and columns == 2 else _column_widths(lengths, columns)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, HexColor("#bbbbbb")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), styles.regular),  # the empty cells too: no font but the SC face
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if signed else "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    commands += [("SPAN", (a, b), (c, d)) for a, b, c, d in spans]
    commands += [("BACKGROUND", (0, r), (-1, r), HexColor("#f2f2f2")) for r in heads]
    table = Table(rows, colWidths=sizes, rowHeights=[30] * len(rows) if signed else None,
                  repeatRows=1 if heads[:1] == [0] else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _shown(node: _Node) -> str:
    """The text of `node` but for what only a screen shows (“open to list them”: the PDF lists them below)."""
    return "".join(c if isinstance(c, str) else "" if "open" in c.classes() else _shown(c) for c in node.children)


def _rows(node: _Node) -> list[_Node]:
    return [n for n in node.walk() if n.tag == "tr"]


def _length(text: str) -> int:
    """Width of `text` in half-em units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.strip())


def _column_widths(lengths: list[list[int]], columns: int) -> list[float]:
    """Widths (pt) sharing the page's width by each column's longest text, a long column capped so that it wraps."""
    longest = [max([row[k] for row in lengths] + [4]) for k in range(columns)]
    wanted = [min(n, 40) * 4.3 + 8 for n in longest]  # 7.5 pt type: a digit is about 4.2 pt wide
    total, room = sum(wanted), _width()
    if total <= room:
        return wanted
    narrow = [w for w in wanted if w <= 60]
    spare = room - sum(narrow)
    wide = sum(w for w in wanted if w > 60)
    return [w if w <= 60 or wide <= 0 else max(40.0, w * spare / wide) for w in wanted]
