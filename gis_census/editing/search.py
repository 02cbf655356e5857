"""Finding a small area, district or village by its code (or the code's last digits) or its name."""

from __future__ import annotations

from dataclasses import dataclass

from gis_census.project import CensusProject

__all__ = ["Found", "find"]

#: Layers searched, the first with a match wins.
SEARCHED = ("small_areas", "districts", "villages")
#: The fewest trailing digits of a code that are taken as that code ("002" of a small area).
MIN_SUFFIX = 3


@dataclass(frozen=True)
class Found:
    """What a search matched: the `codes` of `layer` and their `bounds` (xmin, ymin, xmax, ymax in metres)."""

    layer: str
    codes: tuple[str, ...]
    bounds: tuple[float, float, float, float]


def find(project: CensusProject, text: str) -> Found | None:
    """The features whose code is `text`, or ends with it (3 characters or more), or whose name is `text`;
    small areas first, then districts, then villages. None when nothing matches.

    Example: ``find(project, "202002")`` finds small area 370481102202002.
    """
    text = text.strip()
    if not text:
        return None
    for layer in SEARCHED:
        gdf = project.layers.get(layer)
        if gdf is None or not len(gdf):
            continue
        codes = gdf["code"].astype(str)
        hit = (codes == text) | (codes.str.endswith(text) & (len(text) >= MIN_SUFFIX))
        if "name" in gdf.columns:
            hit |= gdf["name"].astype(str) == text
        if hit.any():
            rows = gdf[hit.to_numpy()]
            x0, y0, x1, y1 = (float(v) for v in rows.total_bounds)
            return Found(layer, tuple(rows["code"].astype(str)), (x0, y0, x1, y1))
    return None
