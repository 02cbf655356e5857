"""Stage 1, import: an office's files read into a census project, every refusal naming file, layer, feature, field.

>>> from gis_census.importing import ImportOptions, build_project
>>> project, notices = build_project(ImportOptions(villages=..., buildings=..., township_code=...))
"""

from .small_areas import import_small_areas, read_small_areas
from .township import ImportOptions, build_project, county_code, read_context_layer

__all__ = ["ImportOptions", "build_project", "county_code", "read_context_layer", "import_small_areas", "read_small_areas"]
