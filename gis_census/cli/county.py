"""The verb `county`: the county's township projects merged, checked one by one and across their lines."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis_census.cli.common import _help, _record_program
from gis_census.errors import CensusError
from gis_census.i18n import tr

__all__ = ["add_county_verb", "COUNTY_VERBS"]


def add_county_verb(verbs, common: argparse.ArgumentParser) -> None:
    """The parser of `county`."""
    county = verbs.add_parser("county", parents=[common], help=_help("cli_county"))
    county.add_argument("sources", nargs="+", type=Path, metavar="DIR|FILE", help=_help("cli_county_sources"))
    county.add_argument("--out", required=True, type=Path, metavar="county.gpkg", help=_help("cli_county_out"))
    county.add_argument("--report", type=Path, metavar="FILE.html|FILE.pdf", help=_help("cli_check_report"))
    county.add_argument("--expect", type=Path, metavar="FILE", help=_help("cli_county_expect"))
    county.add_argument("--noise", type=float, metavar="M", help=_help("cli_county_noise"))


def _cmd_county(args) -> int:
    from gis_census.county import NOISE_WIDTH, merge_county, read_expected, township_files
    from gis_census.project.gpkg import read_stored_meta
    from gis_census.project.meta import READ_ONLY_KEY

    _record_program(args)
    files = township_files(args.sources)
    expect = read_expected(args.expect) if args.expect else None
    out = args.out.resolve()
    if out.exists() and (out in {f.resolve() for f in files} or (read_stored_meta(out) or {}).get(READ_ONLY_KEY) != "county"):
        raise CensusError("county_out_exists", path=str(args.out))
    county = merge_county(files, expect, NOISE_WIDTH if args.noise is None else args.noise)
    _print_county(county)
    county.project.save(out)  # first, so that the report names the county file
    print(tr("county_written", path=str(args.out)))
    if args.report:
        from gis_census.county.report import write_county_report

        write_county_report(county, args.report)
        print(tr("check_report_written", path=str(args.report)))
    return 1 if county.errors else 0


def _print_county(county) -> None:
    for t in county.townships:
        print(tr("county_township", **{k: f"{v:,}" if isinstance(v, int) else v for k, v in vars(t).items()}))
    ts = county.townships
    print(tr("county_totals", townships=len(ts), **{k: f"{sum(getattr(t, k) for t in ts):,}" for k in
                                                     ("villages", "small_areas", "buildings", "population", "households")}))
    if county.across:
        print(tr("county_across", n=len(county.across)))
        for p in county.across:
            print(tr("county_across_line", message=p.message(), townships=p.detail))
    else:
        print(tr("county_across_none"))
    if county.missing:
        print(tr("county_missing", codes=", ".join(county.missing)))


COUNTY_VERBS = {"county": _cmd_county}
