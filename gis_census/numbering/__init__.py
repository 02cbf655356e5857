"""Stage 4, numbering: address codes of districts and small areas, building numbers, supervisor groups.

>>> from gis_census.numbering import assign_codes
>>> report = assign_codes(project)
"""

from .codes import CodeReport, assign_codes, make_virtual_area, supervisor_groups

__all__ = ["CodeReport", "assign_codes", "make_virtual_area", "supervisor_groups"]
