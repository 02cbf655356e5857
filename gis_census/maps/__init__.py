"""Print-ready PDF maps: 普查小区图 (small areas), 普查区图 (districts), the township index map, and atlases.

Everything is laid out in page millimetres (see :mod:`gis_census.maps.layout`) at a standard
scale that is true on paper, drawn with reportlab (:mod:`.render` says why), in parallel processes
for a large atlas, with the Simplified-Chinese font embedded as a TrueType subset (:mod:`.fonts`).
"""

from gis_census.maps.atlas import KINDS, make_maps

__all__ = ["make_maps", "KINDS"]
