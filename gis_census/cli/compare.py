"""The verb `compare`: the current small areas against the previous division, summed up and listed in a workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis_census.cli.common import _help, _open, _print_notices
from gis_census.errors import CensusError
from gis_census.i18n import tr

__all__ = ["add_compare_verb", "COMPARE_VERBS"]

#: The project's layer compared with by default.
_PREVIOUS = "previous_small_areas"


def add_compare_verb(verbs, common: argparse.ArgumentParser) -> None:
    """The parser of `compare`."""
    compare = verbs.add_parser("compare", parents=[common], help=_help("cli_compare"))
    compare.add_argument("project", type=Path)
    compare.add_argument("--previous", metavar="LAYER|FILE", help=_help("cli_compare_previous"))
    compare.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FILE.csv", help=_help("cli_compare_out"))
    compare.add_argument("--code-field", metavar="F")
    compare.add_argument("--encoding", metavar="ENC", help=_help("cli_encoding"))
    compare.add_argument("--assume-crs", metavar="EPSG:XXXX", help=_help("cli_assume_crs"))
    compare.add_argument("--repair", action="store_true", help=_help("cli_repair"))


def _cmd_compare(args) -> int:
    from gis_census.compare import compare_divisions, write_changes
    from gis_census.lists import checked_list_path

    checked_list_path(args.out)
    project = _open(args)
    previous = _previous(project, args)
    result = compare_divisions(previous, project["small_areas"], project["buildings"])
    n = result.counts()
    print(tr("compare_summary", old=result.previous_areas, new=len(project["small_areas"]), kept=n["kept"],
             recoded=n["recoded"], redrawn=n["redrawn"], split=n["split"], merged=n["merged"], added=n["new"],
             removed=n["removed"]))
    share = f"{result.buildings_kept / result.buildings:.0%}" if result.buildings else "-"
    print(tr("compare_buildings", kept=result.buildings_kept, total=result.buildings, share=share))
    print(tr("compare_written", path=str(write_changes(result, args.out))))
    return 0


def _previous(project, args):
    """The previous division --previous names: the project's previous_small_areas (default), another layer of the
    project file (one the office added, "areas_2010") or a file of small areas, read and checked as `import-areas`
    reads it."""
    if args.previous in (None, _PREVIOUS):
        layer = project[_PREVIOUS]
        if not len(layer):
            raise CensusError("compare_no_previous", path=str(args.project))
        return layer
    from gis_census.importing import read_small_areas

    spec = args.previous if "::" in args.previous or Path(args.previous).exists() else f"{args.project}::{args.previous}"
    areas, notices = read_small_areas(project, spec, code_field=args.code_field, encoding=args.encoding,
                                      assume_crs=args.assume_crs, repair=args.repair)
    _print_notices(notices)
    return areas


COMPARE_VERBS = {"compare": _cmd_compare}
