"""The verbs of the office's work on buildings and people: `building` (a building's fields), `fieldwork` (the
pre-count walk's packages out and results back) and `register` (the household register in, split, cleared)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis_census.cli.common import _help, _open, _print_balance
from gis_census.errors import CensusError
from gis_census.i18n import tr

__all__ = ["add_walk_verbs", "WALK_VERBS"]


def add_walk_verbs(verbs, common: argparse.ArgumentParser) -> None:
    """The parsers of `building`, `fieldwork` and `register`."""
    building = verbs.add_parser("building", parents=[common], help=_help("cli_building"))
    building.add_argument("project", type=Path)
    building.add_argument("name", metavar="NAME", help=_help("cli_building_name"))
    for field in ("units", "population", "households"):
        building.add_argument(f"--{field}", type=int, metavar="N")
    building.add_argument("--use", metavar="USE", help=_help("cli_building_use"))
    building.add_argument("--address", metavar="TEXT")
    building.add_argument("--notes", metavar="TEXT")
    _add_fieldwork(verbs, common)
    _add_register(verbs, common)


def _add_fieldwork(verbs, common: argparse.ArgumentParser) -> None:
    fieldwork = verbs.add_parser("fieldwork", parents=[common], help=_help("cli_fieldwork"))
    steps = fieldwork.add_subparsers(dest="step", required=True, metavar="STEP")
    export = steps.add_parser("export", parents=[common], help=_help("cli_fieldwork_export"))
    export.add_argument("project", type=Path)
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help=_help("cli_fieldwork_out"))
    scope = export.add_mutually_exclusive_group()
    scope.add_argument("--district", metavar="CODE", help=_help("cli_fieldwork_district"))
    scope.add_argument("--small-area", metavar="CODE", help=_help("cli_fieldwork_small_area"))
    export.add_argument("--with-register", action="store_true", help=_help("cli_fieldwork_with_register"))
    back = steps.add_parser("import", parents=[common], help=_help("cli_fieldwork_import"))
    back.add_argument("project", type=Path)
    back.add_argument("files", nargs="+", type=Path, metavar="FILE", help=_help("cli_fieldwork_files"))
    back.add_argument("--dry-run", action="store_true", help=_help("cli_fieldwork_dry_run"))


def _add_register(verbs, common: argparse.ArgumentParser) -> None:
    register = verbs.add_parser("register", parents=[common], help=_help("cli_register"))
    steps = register.add_subparsers(dest="step", required=True, metavar="STEP")
    read = steps.add_parser("import", parents=[common], help=_help("cli_register_import"))
    read.add_argument("project", type=Path)
    read.add_argument("file", type=Path, metavar="FILE.xlsx|FILE.csv", help=_help("cli_register_file"))
    read.add_argument("--kind", default="户籍", metavar="户籍|暂住|境外", help=_help("cli_register_kind"))
    read.add_argument("--sheet", metavar="S", help=_help("cli_register_sheet"))
    for field in ("address", "village", "name", "head", "relation", "household-no", "id-number", "persons", "households"):
        read.add_argument(f"--{field}-field", metavar="F", help=_help("cli_register_field"))
    read.add_argument("--per", choices=["person", "household"], help=_help("cli_register_per"))
    read.add_argument("--renamed", type=Path, metavar="FILE.csv", help=_help("cli_register_renamed"))
    split = steps.add_parser("split", parents=[common], help=_help("cli_register_split"))
    split.add_argument("project", type=Path)
    split.add_argument("--out", required=True, type=Path, metavar="DIR", help=_help("cli_register_out"))
    split.add_argument("--no-names", action="store_true", help=_help("cli_register_no_names"))
    clear = steps.add_parser("clear", parents=[common], help=_help("cli_register_clear"))
    clear.add_argument("project", type=Path)
    clear.add_argument("--kind", metavar="户籍|暂住|境外", help=_help("cli_register_clear_kind"))


def _cmd_building(args) -> int:
    values = {f: getattr(args, f) for f in ("units", "population", "households", "use", "address", "notes")
              if getattr(args, f) is not None}
    if not values:
        raise CensusError("building_nothing_to_set")
    from gis_census.editing import apply_edit, find_building, set_building_fields

    project = _open(args)
    found = find_building(project, args.name)
    if found is None:
        raise CensusError("building_not_found", name=args.name, path=str(args.project))
    edit = set_building_fields(project, found, values)
    apply_edit(project, edit)
    project.save()
    print(tr("building_saved", edit=edit.text(), path=str(project.path)))
    return 0


def _cmd_fieldwork(args) -> int:
    from gis_census.feedback import TextFeedback

    if args.step == "export":
        from gis_census.fieldwork import export_fieldwork

        written = export_fieldwork(_open(args), args.out, district=args.district, small_area=args.small_area,
                                   feedback=TextFeedback(tr("fieldwork_progress")), with_register=args.with_register)
        print(tr("fieldwork_exported", n=len({path.parent for path in written}), path=str(args.out)))
        from gis_census.register.split import WITH_NAMES

        if any(WITH_NAMES in path.name for path in written):
            print(tr("register_split_personal"))
        return 0
    from gis_census.editing import apply_edit
    from gis_census.fieldwork import fieldwork_edit, read_fieldwork

    project = _open(args)
    changes = read_fieldwork(project, args.files)
    if changes.is_empty():
        print(tr("fieldwork_nothing"))
        return 0
    print(changes.text())
    if args.dry_run:
        print(tr("fieldwork_dry_run"))
        return 0
    apply_edit(project, fieldwork_edit(project, changes))
    project.save()
    print(tr("fieldwork_applied", path=str(project.path)))
    return 0


def _cmd_register(args) -> int:
    from gis_census import register

    if args.step == "split":
        written = register.split_register(_open(args), args.out, names=not args.no_names)
        if not written:
            print(tr("register_split_empty"))
            return 0
        for path in written:
            print(f"  {path}")
        print(tr("register_split_written", n=len(written), path=str(args.out)))
        if not args.no_names:
            print(tr("register_split_personal"))
        return 0
    if args.step == "clear":
        kind = register.register_kind(args.kind) if args.kind else None
        project = _open(args)
        n = register.clear_register(project, kind)
        project.save()
        register.forget_deleted(project.path)
        print(tr("register_cleared", n=n, path=str(project.path), what="" if kind else tr("register_cleared_all")))
        _print_balance(project)
        return 0
    fields = {key: value for key in ("address", "village", "name", "head", "relation", "household_no", "id_number",
                                     "persons", "households") if (value := getattr(args, f"{key}_field"))}
    table = register.read_register_table(args.file, kind=args.kind, sheet=args.sheet, fields=fields, per=args.per)
    renames = register.read_renames(args.renamed) if args.renamed else None
    project = _open(args)
    done = register.import_register(project, table, renames)
    project.save()
    print(tr("register_imported", kind=done.kind, rows=done.rows, path=str(project.path), replaced=done.replaced,
             matched=done.matched, ambiguous=done.ambiguous, unmatched=done.unmatched))
    if done.stairwells:
        print(tr("register_stairwells", n=done.stairwells))
    _print_balance(project)
    return 0


WALK_VERBS = {"building": _cmd_building, "fieldwork": _cmd_fieldwork, "register": _cmd_register}
