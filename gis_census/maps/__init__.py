"""Print-ready PDF maps: 普查小区图 (small areas), 普查区图 (districts), the township index map, and atlases.

Everything is laid out in page millimetres (see :mod:`gis_census.maps.layout`) at a standard
scale that is true on paper, drawn with matplotlib on bare Figures (no pyplot, no Qt), in
parallel processes, with the Simplified-Chinese font embedded as TrueType (:mod:`.fonts`).
"""

from gis_census.maps.atlas import KINDS, make_maps

__all__ = ["make_maps", "KINDS"]
