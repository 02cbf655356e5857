"""The project file: one township's census division in one GeoPackage, saved in place in one transaction.

>>> from gis_census.project import CensusProject
>>> project = CensusProject.open("白坡镇.gpkg")
>>> project.save()
"""

from .census_project import CensusProject, FileBase
from .gpkg import remove_leftovers
from .layers import conform_layer, empty_layer
from .meta import ProjectMeta
from .previous import PREVIOUS, keep_previous_division

__all__ = ["ProjectMeta", "CensusProject", "FileBase", "empty_layer", "conform_layer", "remove_leftovers",
           "PREVIOUS", "keep_previous_division"]
