"""The household register (户籍/暂住/境外 tables): its addresses matched to the project's buildings.

>>> from gis_census.register import match_addresses
>>> matches = match_addresses(project, table["住址"], villages=table["所属村/居委会"])
"""

from .address import Prefixes, normalise, normalise_many
from .match import AMBIGUOUS, MATCHED, UNMATCHED, Matches, match_addresses

__all__ = ["Prefixes", "normalise", "normalise_many", "Matches", "match_addresses", "MATCHED", "AMBIGUOUS", "UNMATCHED"]
