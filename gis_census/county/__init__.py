"""The county's side: township projects merged, checked across their lines, and kept as one read-only project.

>>> county = merge_county(township_files(["townships/"]), expect=read_expected("townships.txt"))
>>> county.project.save("county.gpkg")
"""

from gis_census.county.across import NOISE_WIDTH
from gis_census.county.expected import read_expected
from gis_census.county.merge import County, Township, merge_county, township_files

__all__ = ["NOISE_WIDTH", "County", "Township", "merge_county", "township_files", "read_expected"]
