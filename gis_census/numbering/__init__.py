"""Pieces of the numbering behind :mod:`gis_census.codes`: walking order, supervisor groups, virtual areas."""
