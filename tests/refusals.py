"""Shared by the bad-input tests: write broken inputs, run the command line, check a refusal."""

from __future__ import annotations

import re
import string
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from frames import ORIGIN, building_frame, village_frame
from gis_census.cli import main
from gis_census.messages import MESSAGES

GEOGRAPHIC = "EPSG:4490"  # CGCS2000 longitude/latitude, as township offices usually have their files
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NAMES = list(village_frame()["MC"])  # 东关社区居委会, 西关社区居委会, 王庄村委会, 李家洼村委会

# ---------------------------------------------------------------------------------------------
# Helpers: write inputs, run the command line, check a refusal
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    rc: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(capsys, *argv) -> Result:
    rc = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Result(rc, captured.out, captured.err)


def literal_parts(template: str) -> list[str]:
    """The fixed words of a message template (what is left between its {placeholders})."""
    return [lit.strip() for lit, _, _, _ in string.Formatter().parse(template) if lit.strip()]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def assert_words_of(key: str, text: str, lang: str = "zh") -> None:
    """`text` contains every fixed word of message `key` in `lang`."""
    template = MESSAGES[key][0 if lang == "zh" else 1]
    for part in literal_parts(template):
        assert part in text, f"{part!r} (of message {key}) not in:\n{text}"


def assert_refused(result: Result, out: Path, fragments=(), key: str | None = None, lang: str = "zh") -> None:
    """Exit 2, an error naming every fragment, no traceback, and nothing written beside `out`."""
    assert "Traceback" not in result.text, result.text
    assert result.rc == 2, f"exit {result.rc}:\n{result.text}"
    prefix = "错误：" if lang == "zh" else "Error: "
    assert result.err.startswith(prefix), result.err
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"
    if key:
        assert_words_of(key, result.err, lang)
    assert not out.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [], "stray files were written"


def assert_ok(result: Result) -> None:
    assert "Traceback" not in result.text, result.text
    assert result.rc == 0, f"exit {result.rc}:\n{result.text}"


def write_shp(folder: Path, gdf: gpd.GeoDataFrame, name: str = "villages", *, crs=GEOGRAPHIC,
              encoding: str = "GBK", cpg: bool = True, prj: bool = True) -> Path:
    """A Shapefile as offices have them: GBK text, geographic CRS; optionally without .cpg or .prj."""
    path = folder / f"{name}.shp"
    (gdf.to_crs(crs) if crs else gdf).to_file(path, encoding=encoding, engine="pyogrio")
    if not cpg:
        path.with_suffix(".cpg").unlink()
    if not prj:
        path.with_suffix(".prj").unlink()
    return path


def write_gpkg(folder: Path, gdf: gpd.GeoDataFrame, name: str, layer: str | None = None, *, crs=GEOGRAPHIC, **kw) -> Path:
    path = folder / name
    with warnings.catch_warnings():  # pyogrio warns when asked to write a layer without a CRS: that is the point
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        (gdf.to_crs(crs) if crs else gdf).to_file(path, layer=layer or Path(name).stem, engine="pyogrio", **kw)
    return path


def bow_tie(i: int) -> shapely.Polygon:
    """Village `i`'s 1 km square drawn as a self-crossing ring (area 0 as drawn, 500 000 m² repaired)."""
    x, y = ORIGIN[0] + (i % 2) * 1000, ORIGIN[1] + (i // 2) * 1000
    return shapely.Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000)])


def villages_with(**changes) -> gpd.GeoDataFrame:
    """The fixture villages with `changes` applied: {column: {row: value}}."""
    v = village_frame()
    for column, rows in changes.items():
        for row, value in rows.items():
            v.loc[row, column] = value
    return v


@dataclass
class Case:
    name: str
    build: Callable[[Path], list]  # input folder -> the arguments after `new PROJECT`
    fragments: list[str]  # must all appear in stderr: file, layer, feature, field, value
    key: str | None = None  # the message whose fixed words must appear
    marks: list = field(default_factory=list)


def buildings_with(**changes) -> gpd.GeoDataFrame:
    """The fixture buildings with `changes` ({column: {row: value}}) applied."""
    b = building_frame()
    for column, rows in changes.items():
        for row, value in rows.items():
            b.loc[row, column] = value
    return b


def good_villages(folder: Path) -> Path:
    return write_shp(folder, village_frame())
