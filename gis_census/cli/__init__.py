"""The `gis-census` command line: every engine job without a screen."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

from gis_census.cli.accept import ACCEPT_VERBS, add_accept_verb
from gis_census.cli.common import _help, _open, _print_balance, _print_notices, _record_program
from gis_census.cli.compare import COMPARE_VERBS, add_compare_verb
from gis_census.cli.county import COUNTY_VERBS, add_county_verb
from gis_census.cli.walk import WALK_VERBS, add_walk_verbs
from gis_census.errors import CensusError, Finding
from gis_census.i18n import set_language, tr
from gis_census.outputs import pad_to_width

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of all verbs (help texts follow the chosen language)."""
    parser = argparse.ArgumentParser(prog="gis-census", description=tr("cli_description"))
    parser.add_argument("--lang", choices=["zh", "en"], help=_help("cli_lang"))
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    # --lang and --debug are welcome after the verb too (gis-census check P --lang en)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=_help("cli_lang"))
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    new = verbs.add_parser("new", parents=[common], help=_help("cli_new"))
    new.add_argument("project", type=Path)
    new.add_argument("--villages", required=True, metavar="FILE", help=_help("cli_input_file"))
    new.add_argument("--village-code-field", metavar="F")
    new.add_argument("--village-name-field", metavar="F")
    new.add_argument("--buildings", metavar="FILE")
    new.add_argument("--population-field", metavar="F")
    new.add_argument("--households-field", metavar="F")
    new.add_argument("--address-field", metavar="F")
    new.add_argument("--roads", metavar="FILE")
    new.add_argument("--water", metavar="FILE")
    new.add_argument("--landmarks", metavar="FILE")
    new.add_argument("--township-code", metavar="CODE")
    new.add_argument("--township-name", metavar="NAME", help=_help("cli_township_name"))
    new.add_argument("--county-code", metavar="CODE", help=_help("cli_county_code"))
    new.add_argument("--county-name", metavar="NAME", help=_help("cli_county_name"))
    _add_input_options(new)
    new.add_argument("--crs", metavar="EPSG:XXXX", help=_help("cli_crs"))
    new.add_argument("--skip-outside-buildings", action="store_true", help=_help("cli_skip_outside"))
    new.add_argument("--merge-duplicates", action="store_true", help=_help("cli_merge_duplicates"))
    new.add_argument("--overwrite", action="store_true", help=_help("cli_overwrite"))

    areas = verbs.add_parser("import-areas", parents=[common], help=_help("cli_import_areas"))
    areas.add_argument("project", type=Path)
    areas.add_argument("--small-areas", required=True, metavar="FILE", help=_help("cli_input_file"))
    areas.add_argument("--code-field", metavar="F")
    areas.add_argument("--replace", action="store_true", help=_help("cli_replace"))
    areas.add_argument("--previous", action="store_true", help=_help("cli_import_previous"))
    _add_input_options(areas)

    info = verbs.add_parser("info", parents=[common], help=_help("cli_info"))
    info.add_argument("project", type=Path)
    info.add_argument("--json", action="store_true")

    names = verbs.add_parser("set", parents=[common], help=_help("cli_set"))
    names.add_argument("project", type=Path)
    names.add_argument("--county-name", metavar="NAME", help=_help("cli_county_name"))
    names.add_argument("--county-code", metavar="CODE", help=_help("cli_county_code"))
    names.add_argument("--township-name", metavar="NAME", help=_help("cli_township_name"))
    names.add_argument("--balance-count", choices=["recorded", "register", "walk", "largest"],  # rules.BALANCE_COUNTS
                       help=_help("cli_balance_count"))
    names.add_argument("--district-codes", choices=["village+seq", "village-like"],  # rules.DISTRICT_CODE_SCHEMES
                       help=_help("cli_district_codes"))

    check = verbs.add_parser("check", parents=[common], help=_help("cli_check"))
    check.add_argument("project", type=Path)
    check.add_argument("--json", action="store_true", help=_help("cli_check_json"))
    check.add_argument("--village", metavar="CODE", help=_help("cli_check_village"))
    check.add_argument("--only", choices=["errors"], help=_help("cli_check_only"))
    check.add_argument("--report", type=Path, metavar="FILE.html|FILE.pdf", help=_help("cli_check_report"))
    check.add_argument("--no-save", action="store_true", help=_help("cli_check_no_save"))
    check.add_argument("--sliver-width", type=float, metavar="M", help=_help("cli_check_sliver"))

    hole = verbs.add_parser("allow-hole", parents=[common], help=_help("cli_allow_hole"))
    hole.add_argument("project", type=Path)
    hole.add_argument("--at", required=True, metavar="X,Y", help=_help("cli_allow_hole_at"))
    hole.add_argument("--note", default="", metavar="TEXT", help=_help("cli_allow_hole_note"))
    hole.add_argument("--remove", action="store_true", help=_help("cli_allow_hole_remove"))

    divide = verbs.add_parser("divide", parents=[common], help=_help("cli_divide"))
    divide.add_argument("project", type=Path)
    divide.add_argument("--district", nargs="+", metavar="CODE", help=_help("cli_code_district"))
    divide.add_argument("--target", type=int, metavar="N", help=_help("cli_divide_target"))
    divide.add_argument("--unit", choices=["people", "households"], help=_help("cli_divide_unit"))
    divide.add_argument("--tolerance", type=float, metavar="F", help=_help("cli_divide_tolerance"))
    divide.add_argument("--count", type=int, metavar="N", help=_help("cli_divide_count"))
    divide.add_argument("--lane-cost", type=float, metavar="F", help=_help("cli_divide_lane_cost"))
    divide.add_argument("--settled", type=float, metavar="F", help=_help("cli_divide_settled"))
    divide.add_argument("--keep-locked", action=argparse.BooleanOptionalAction, default=True, help=_help("cli_divide_keep_locked"))
    divide.add_argument("--update", action="store_true", help=_help("cli_divide_update"))
    divide.add_argument("--renumbered", type=Path, metavar="FILE.csv|FILE.xlsx", help=_help("cli_divide_renumbered"))

    code = verbs.add_parser("code", parents=[common], help=_help("cli_code"))
    code.add_argument("project", type=Path)
    code.add_argument("--district", nargs="+", metavar="CODE", help=_help("cli_code_district"))
    code.add_argument("--groups", action="store_true", help=_help("cli_code_groups"))

    lists = verbs.add_parser("lists", parents=[common], help=_help("cli_lists"))
    lists.add_argument("project", type=Path)
    lists.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FILE.csv", help=_help("cli_lists_out"))
    lists.add_argument("--county", action="store_true", help=_help("cli_lists_county"))

    maps = verbs.add_parser("maps", parents=[common], help=_help("cli_maps"))
    maps.add_argument("project", type=Path)
    maps.add_argument("--out", required=True, type=Path, metavar="DIR", help=_help("cli_maps_out"))
    maps.add_argument("--kind", choices=["small-area", "district", "township", "atlas"], default="small-area",
                      help=_help("cli_maps_kind"))
    maps.add_argument("--district", metavar="CODE", help=_help("cli_maps_district"))
    maps.add_argument("--small-area", metavar="CODE", help=_help("cli_maps_small_area"))
    maps.add_argument("--paper", choices=["A4", "A3"], default="A4", help=_help("cli_maps_paper"))
    maps.add_argument("--one-file", action="store_true", help=_help("cli_maps_one_file"))
    maps.add_argument("--basemap", type=Path, metavar="FILE", help=_help("cli_maps_basemap"))

    add_walk_verbs(verbs, common)
    add_compare_verb(verbs, common)
    add_accept_verb(verbs, common)
    add_county_verb(verbs, common)

    demo = verbs.add_parser("demo", parents=[common], help=_help("cli_demo"))
    demo.add_argument("--out", required=True, type=Path, metavar="DIR")
    demo.add_argument("--seed", type=int, default=2020)
    demo.add_argument("--county", action="store_true", help=_help("cli_demo_county"))
    return parser


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encoding", metavar="ENC", help=_help("cli_encoding"))
    parser.add_argument("--assume-crs", metavar="EPSG:XXXX", help=_help("cli_assume_crs"))
    parser.add_argument("--repair", action="store_true", help=_help("cli_repair"))


def main(argv: list[str] | None = None) -> int:
    """Run one verb; return the exit status (0 ok, 2 refused input or unreadable project)."""
    from_command_line = argv is None
    argv = sys.argv[1:] if argv is None else argv
    lang = _early_lang(argv)
    if lang:
        set_language(lang)
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    _utf8_output()
    with warnings.catch_warnings():
        # Last safety net: a library warning the readers did not turn into a notice is noise to a census
        # office. Only for a real command line (argv None) without --debug or -W, so tests calling
        # main([...]) still see every warning that would have leaked.
        if from_command_line and not debug and not sys.warnoptions:
            warnings.simplefilter("ignore")
        return _run(args, debug)


def _run(args, debug: bool) -> int:
    try:
        return _VERBS[args.verb](args)
    except CensusError as exc:
        print(tr("error_prefix") + exc.message(), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(tr("interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(tr("internal_error", error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 3


def _early_lang(argv: list[str]) -> str | None:
    """--lang is needed before the parser is built, for translated help."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return argv[i + 1]
        if arg in ("--lang=zh", "--lang=en"):
            return arg.split("=", 1)[1]
    return None


def _utf8_output() -> None:
    """Chinese text must print on a Windows console or a C-locale pipe too."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8")


def _cmd_new(args) -> int:
    if args.project.exists() and not args.overwrite:
        raise CensusError("project_exists", path=str(args.project))
    from gis_census.importing import ImportOptions, build_project

    _record_program(args)
    opts = ImportOptions(
        villages=args.villages,
        buildings=args.buildings,
        roads=args.roads,
        water=args.water,
        landmarks=args.landmarks,
        village_code_field=args.village_code_field,
        village_name_field=args.village_name_field,
        population_field=args.population_field,
        households_field=args.households_field,
        address_field=args.address_field,
        township_code=args.township_code,
        township_name=args.township_name,
        county_code=args.county_code,
        county_name=args.county_name,
        crs=args.crs,
        encoding=args.encoding,
        assume_crs=args.assume_crs,
        repair=args.repair,
        skip_outside=args.skip_outside_buildings,
        merge_duplicates=args.merge_duplicates,
    )
    project, notices = build_project(opts)
    _print_notices(notices)
    project.save(args.project)
    _write_skipped_list(notices, args.project)
    _print_summary_line(project)
    return 0


def _write_skipped_list(notices: list[Finding], project_path: Path) -> None:
    """The full list of skipped buildings beside the saved project (a stale one from an earlier run goes)."""
    from gis_census.importing.skipped import skipped_list_path, write_skipped_list

    try:
        written = write_skipped_list(notices, project_path)
        if written is None:
            skipped_list_path(project_path).unlink(missing_ok=True)
            return
    except OSError as exc:
        print(tr("notice_prefix") + tr("notice_skipped_list_failed", path=str(skipped_list_path(project_path)),
                                       reason=exc.strerror or str(exc)))
        return
    print(tr("notice_prefix") + tr("notice_skipped_list_written", n=written[1], path=str(written[0])))


def _cmd_import_areas(args) -> int:
    from gis_census.importing import import_small_areas
    project = _open(args)
    notices = import_small_areas(
        project,
        args.small_areas,
        code_field=args.code_field,
        encoding=args.encoding,
        assume_crs=args.assume_crs,
        repair=args.repair,
        replace=args.replace,
        previous=args.previous,
    )
    _print_notices(notices)
    project.save()
    if args.previous:
        print(tr("imported_previous_areas", n=len(project["previous_small_areas"]), path=str(project.path)))
    else:
        print(tr("imported_areas", n=len(project["small_areas"]), path=str(project.path)))
    return 0


def _cmd_info(args) -> int:
    from gis_census.info import project_summary
    summary = project_summary(_open(args))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    counts = summary["counts"]
    print(tr("info_township", name=summary["township"]["name"] or "-", code=summary["township"]["code"]))
    if summary["county"]["name"] or summary["county"]["code"]:
        print(tr("info_county", name=summary["county"]["name"] or "-", code=summary["county"]["code"]))
    print(tr("info_crs", crs=summary["crs"]))
    print(tr("info_counts", **counts))
    print(tr("info_totals", population=summary["population"], households=summary["households"]))
    print(tr("info_unassigned", n=summary["buildings_without_small_area"]))
    print(tr("info_village_header"))
    for v in summary["villages"]:
        print(f"  {v['code']}  {pad_to_width(v['name'], 16)}  {v['population']:>8}  {v['households']:>7}  {v['buildings']:>7}")
    return 0


def _cmd_set(args) -> int:
    if args.county_name is None and args.county_code is None and args.township_name is None and args.balance_count is None \
            and args.district_codes is None:
        raise CensusError("set_nothing")
    from gis_census.importing import county_code

    project = _open(args)
    meta = project.meta
    if args.balance_count is not None:
        from gis_census.register import set_balance

        set_balance(project, args.balance_count)
    if args.district_codes is not None:
        meta.district_codes = args.district_codes
    if args.county_code is not None:
        meta.county_code = county_code(args.county_code.strip(), meta.township_code)
    if args.county_name is not None:
        meta.county_name = args.county_name.strip()
    if args.township_name is not None:
        meta.township_name = args.township_name.strip()
    project.save()
    print(tr("set_done", path=str(project.path), county_name=meta.county_name or "-", county_code=meta.county_code or "-",
             township_name=meta.township_name or "-", township_code=meta.township_code or "-"))
    if args.balance_count is not None:
        _print_balance(project)
    return 0


def _cmd_check(args) -> int:
    from gis_census.checks import CheckSettings, check_project, summarize
    from gis_census.checks.acceptance import acceptance, acceptance_text
    from gis_census.checks.problem import sort_key
    from gis_census.checks.store import problems_layer
    from gis_census.project.meta import READ_ONLY_KEY

    project = _open(args, lazy=True)
    if args.village and args.village not in set(project["villages"]["code"]):
        raise CensusError("village_unknown", code=args.village, path=str(args.project))
    settings = CheckSettings.for_project(project, sliver_width=args.sliver_width)
    problems = check_project(project, settings, village=args.village)
    problems.sort(key=sort_key)
    summary = summarize(problems)
    shown = [p for p in problems if p.severity == "error"] if args.only else problems
    accepted = acceptance(project)
    if args.report:
        from gis_census.checks.report import write_report

        write_report(project, problems, args.report, accepted=accepted, sections=_changes_section(project))
    if project.stored_meta.get(READ_ONLY_KEY):  # a merged county keeps the problems `county` found
        args.no_save = True
    if not args.no_save:
        project.layers["problems"] = problems_layer(problems, project.crs)
        project.save()
    if args.json:
        print(json.dumps(_check_json(project, args, settings, summary, shown, accepted), ensure_ascii=False, indent=2))
    else:
        _print_check(summary, shown, args, acceptance_text(accepted))
    return 1 if summary["errors"] else 0


def _changes_section(project) -> tuple[str, ...]:
    """The report's section of changes against the project's previous division, when it has one."""
    previous = project["previous_small_areas"]
    if not len(previous):
        return ()
    from gis_census.compare import changes_section, compare_divisions

    areas = project["small_areas"]
    return (changes_section(compare_divisions(previous, areas, project["buildings"]), len(areas)),)


def _check_json(project, args, settings, summary, shown, accepted) -> dict:
    """The documented `check --json` schema (format "gis-census-check/1"; "acceptance" is null when never accepted)."""
    from dataclasses import asdict

    return {
        "format": "gis-census-check/1",
        "project": str(args.project),
        "township": {"code": project.meta.township_code, "name": project.meta.township_name},
        "crs": project.crs,
        "village": args.village,
        "settings": asdict(settings),
        "summary": summary,
        "problems": [p.to_dict() for p in shown],
        "acceptance": asdict(accepted) if accepted else None,
    }


def _print_check(summary: dict, shown, args, accepted: str) -> None:
    """The verdict first, then whether and when the division was accepted, the counts by kind and the problems."""
    verdict = "check_summary_fail" if summary["errors"] else "check_summary_pass"
    print(tr(verdict, errors=summary["errors"], warnings=summary["warnings"]))
    print(accepted)
    for kind, n in summary["by_kind"].items():
        print(f"  {pad_to_width(tr('problem_' + kind), 36)}{n:>6}")
    for p in shown:
        print(f"[{tr('severity_' + p.severity)}] {p.message()}")
    if args.report:
        print(tr("check_report_written", path=str(args.report)))
    if not args.no_save:
        print(tr("check_saved", path=str(args.project)))


def _cmd_allow_hole(args) -> int:
    from gis_census.checks.holes import allow_hole, parse_point, remove_allowed_hole

    at = parse_point(args.at)
    project = _open(args)
    if args.remove:
        n = remove_allowed_hole(project, at)
        project.save()
        print(tr("hole_removed", n=n, path=str(project.path)))
        return 0
    hole = allow_hole(project, at, args.note)
    project.save()
    print(tr("hole_allowed", x=f"{at.x:.2f}", y=f"{at.y:.2f}", area=f"{hole.area:,.2f}", path=str(project.path)))
    return 0


def _open_with_districts(args):
    project = _open(args)
    known = set(project["districts"]["code"])
    for district in args.district or []:
        if district not in known:
            raise CensusError("district_not_in_project", code=district, path=str(args.project))
    return project


def _line_preference(args):
    """`--lane-cost` and `--settled` as the division's LinePreference (defaults where not given), refused when out
    of range before the project is opened."""
    from gis_census.divide.grouping import LinePreference

    default = LinePreference()
    lane_cost = default.lane_cost if args.lane_cost is None else args.lane_cost
    settled = default.settled if args.settled is None else args.settled
    if not 0 < lane_cost <= 1:
        raise CensusError("divide_option_range", option="--lane-cost", value=lane_cost, range="0 < F ≤ 1")
    if not 0 <= settled < 0.2:
        raise CensusError("divide_option_range", option="--settled", value=settled, range="0 ≤ F < 0.2")
    return LinePreference(lane_cost, settled)


def _cmd_divide(args) -> int:
    from gis_census.divide import divide_and_number
    from gis_census.feedback import TextFeedback

    if args.update:
        return _divide_update(args)
    if args.renumbered:
        raise CensusError("divide_renumbered_needs_update")
    preference = _line_preference(args)
    project = _open_with_districts(args)
    before = project["buildings"][["id", "address"]]
    had_previous = len(project["previous_small_areas"])
    try:
        results, _ = divide_and_number(project, args.district, target=args.target, unit=args.unit, tolerance=args.tolerance,
                                 count=args.count, keep_locked=args.keep_locked, feedback=TextFeedback(tr("divide_progress")),
                                 preference=preference)
    except ValueError as exc:  # a setting out of range, named by the engine
        raise CensusError("divide_refused", reason=str(exc)) from None
    project.save()
    _print_previous_kept(project, had_previous)
    _print_division(project, before, results)
    print(tr("divide_done", n=sum(r.areas for r in results), path=str(project.path)))
    return 0


def _print_division(project, before, results) -> None:
    """The figures of each district's division, its buildings divided or left over the limit (`before`: the
    buildings' ids and addresses before dividing), and the footer of them all."""
    print(tr("divide_header"))
    for r in results:
        print(f"  {r.district_code}  {r.areas:>4}  {r.oversize_areas:>6}  {r.within_20:>6.0%}  {r.within_12:>6.0%}  {r.worst_deviation:>6.0%}"
              f"  {r.polsby_popper_mean:>5.2f}  {r.polsby_popper_min:>5.2f}  {max(r.area_km2, default=0):>6.2f}"
              f"  {max(r.across_m, default=0) / 1000:>6.2f}  {max(r.walk_m, default=0) / 1000:>6.2f}")
        for building in r.stairwell_splits:
            whole, parts = _stairwell_parts(project, before, building)
            print(tr("notice_prefix") + tr("divide_stairwells", building=whole, parts=parts, district=r.district_code))
        for building in r.over_limit_buildings:
            print(tr("notice_prefix") + tr("divide_oversize", building=_building_named(project, [building])[0],
                                           district=r.district_code))
    n = sum(r.areas for r in results)
    share = lambda attr: f"{sum(getattr(r, attr) * r.areas for r in results) / max(n, 1):.0%}"  # noqa: E731
    print(tr("divide_footer", n=n, w20=share("within_20"), w12=share("within_12")))


def _divide_update(args) -> int:
    """``divide --update``: the division brought back into the band where it must change, and the renumbering list."""
    from gis_census.divide.update import update_division
    from gis_census.feedback import TextFeedback
    from gis_census.lists import checked_list_path, write_renumbering

    for option, given in (("--target", args.target), ("--unit", args.unit), ("--tolerance", args.tolerance),
                          ("--count", args.count), ("--no-keep-locked", not args.keep_locked)):
        if given is not None and given is not False:
            raise CensusError("divide_update_alone", option=option)
    if args.renumbered:
        checked_list_path(args.renumbered)
    project = _open_with_districts(args)
    before = project["buildings"][["id", "address"]]
    had_previous = len(project["previous_small_areas"])
    try:
        report = update_division(project, args.district, feedback=TextFeedback(tr("divide_progress")))
    except ValueError as exc:  # no small-area numbers left, named by the engine
        raise CensusError("divide_refused", reason=str(exc)) from None
    if not report.redivided and not report.areas and not report.buildings:
        for district, codes in report.still_outside.items():
            print(tr("notice_prefix") + tr("update_still_outside", district=district, codes=", ".join(codes)))
        print(tr("update_nothing"))
        return 0
    project.save()
    _print_previous_kept(project, had_previous)
    if report.results:
        _print_division(project, before, report.results)
    for district, codes in report.redivided.items():
        print(tr("update_district", district=district, n=len(codes), codes=", ".join(codes)))
    for district, codes in report.still_outside.items():
        print(tr("notice_prefix") + tr("update_still_outside", district=district, codes=", ".join(codes)))
    if report.areas:
        print(tr("update_areas_header"))
        for area in report.areas:
            print(f"  {area.code}  {tr('update_area_' + area.kind)}")
    if report.buildings:
        print(tr("update_buildings_header"))
        for b in report.buildings:
            print(f"  {b.old_name or '-'} → {b.new_name or '-'}")
    if args.renumbered:
        print(tr("update_list_written", path=str(write_renumbering(report, args.renumbered))))
    print(tr("update_done", areas=len(report.areas), buildings=len(report.buildings), path=str(project.path)))
    return 0


def _print_previous_kept(project, had: int) -> None:
    """Say so when this division kept the small areas as they were as the previous division (`had`: its areas before)."""
    if not had and len(project["previous_small_areas"]):
        print(tr("notice_prefix") + tr("notice_previous_kept", n=len(project["previous_small_areas"])))


def _building_named(project, ids) -> list[str]:
    """Buildings `ids` by their one name and their address, as people read them."""
    from gis_census.editing.buildings import name_of

    rows = project["buildings"].set_index("id", drop=False).loc[list(ids)]
    return [tr("named_building", name=name_of(r), address=r["address"]) if r["address"] else name_of(r)
            for _, r in rows.iterrows()]


def _stairwell_parts(project, before, building_id: int) -> tuple[str, str]:
    """The building divided between its stairwells, by its address before (else its first part's name), and
    its parts' names: the part keeping its id and the new ones whose address is its own with their stairwells."""
    from gis_census.editing.buildings import name_of

    address = before.loc[before["id"] == building_id, "address"].iat[0]
    now = project["buildings"]
    new = now["id"].gt(before["id"].max()) & now["address"].str.startswith(f"{address}（") if address else now["id"].lt(0)
    rows = now.set_index("id", drop=False).loc[[building_id, *now.loc[new, "id"]]]
    parts = tr("list_sep").join(name_of(r) for _, r in rows.iterrows())
    return address or name_of(rows.iloc[0]), parts


def _cmd_code(args) -> int:
    from gis_census.numbering.codes import assign_codes, supervisor_groups

    project = _open_with_districts(args)
    report = assign_codes(project, args.district)
    project.save()
    print(tr("code_done", renamed=len(report.renamed), moved=report.buildings_moved,
             renumbered=report.buildings_renumbered, groups=report.groups, path=str(project.path)))
    for district, group in report.non_contiguous:
        print(tr("notice_prefix") + tr("code_group_not_contiguous", district=district, group=group))
    for district, seqs in report.sequence_gaps.items():
        print(tr("notice_prefix") + tr("code_sequence_gaps", district=district, seqs=", ".join(seqs)))
    if args.groups:
        print(tr("code_groups_header"))
        for row in supervisor_groups(project).itertuples():
            print(f"  {row.district_code}  {row.group:>3}  {row.population:>6}  {row.small_areas}")
    return 0


def _cmd_lists(args) -> int:
    from gis_census.lists import write_lists

    project = _open(args)
    written = write_lists(project, args.out, subtotals=args.county)
    areas, buildings = project["small_areas"], project["buildings"]
    coded = buildings[buildings["small_area_code"] != ""]
    if (areas["supervisor_group"] == 0).any() or (coded["number"] == 0).any():
        print(tr("notice_prefix") + tr("lists_not_coded"))
    for path in written:
        print(tr("lists_written", path=str(path)))
    print(tr("lists_counts", areas=len(areas), buildings=len(coded)))
    return 0


def _cmd_maps(args) -> int:
    from gis_census.feedback import TextFeedback
    from gis_census.maps import make_maps

    project = _open(args)
    written = make_maps(project, args.out, kind=args.kind, district=args.district, small_area=args.small_area,
                        paper=args.paper, one_file=args.one_file, feedback=TextFeedback(tr("maps_progress")),
                        basemap=args.basemap)
    for path in written:
        print(f"  {path}")
    print(tr("maps_written", n=len(written), path=str(args.out)))
    return 0


def _cmd_demo(args) -> int:
    from gis_census.demo.project import write_county_demo, write_township_demo

    _record_program(args)
    if args.county:
        path = write_county_demo(args.out, seed=args.seed)
    else:
        path, notices = write_township_demo(args.out, seed=args.seed)
        _print_notices(notices)
        inputs = Path(args.out) / "inputs"
        print(tr("demo_register_written", folder=str(inputs), truth=str(inputs / "register_truth.csv")))
    print(tr("demo_written", path=str(path)))
    return 0


def _print_summary_line(project) -> None:
    from gis_census.info import project_summary

    s = project_summary(project)
    print(tr("new_written", path=str(project.path), villages=s["counts"]["villages"],
             buildings=s["counts"]["buildings"], population=s["population"]))


_VERBS = {"new": _cmd_new, "import-areas": _cmd_import_areas, "info": _cmd_info, "set": _cmd_set, "check": _cmd_check,
          "allow-hole": _cmd_allow_hole, "divide": _cmd_divide, "code": _cmd_code, "lists": _cmd_lists, "maps": _cmd_maps,
          "demo": _cmd_demo, **WALK_VERBS, **COMPARE_VERBS, **ACCEPT_VERBS, **COUNTY_VERBS}
