"""Deterministic synthetic census data: a township or a whole county.

>>> from gis_census.demo import make_township
>>> data = make_township(seed=2020)
"""

from .generate import CRS, DemoData, make_county, make_township

__all__ = ["CRS", "DemoData", "make_county", "make_township"]
