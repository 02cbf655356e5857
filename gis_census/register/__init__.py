"""The household register (户籍/暂住/境外 tables): read, its addresses matched to the project's buildings, stored in
the project file by kind, counted per building, split by small area, cleared. Its rows are personal data.

>>> from gis_census.register import import_register, read_register_table, split_register
>>> done = import_register(project, read_register_table("户籍.xlsx", kind="户籍"))
>>> project.save()
>>> split_register(project, "户籍切分/")
"""

from .address import Prefixes, normalise, normalise_many
from .counts import KIND_KEYS, rebalance, register_counts, set_balance
from .match import AMBIGUOUS, MATCHED, UNMATCHED, Matches, match_addresses
from .reading import KINDS, read_register_table, read_renames, register_kind
from .split import split_register
from .store import RegisterImport, clear_register, forget_deleted, import_register, remembered_choices, settle_address

__all__ = ["Prefixes", "normalise", "normalise_many", "Matches", "match_addresses", "MATCHED", "AMBIGUOUS", "UNMATCHED",
           "KINDS", "KIND_KEYS", "read_register_table", "read_renames", "register_kind", "import_register", "clear_register",
           "settle_address", "remembered_choices", "forget_deleted", "RegisterImport", "register_counts", "set_balance",
           "rebalance", "split_register"]
