"""What the verbs of the command line share: translated help, opening the project they name, notices, balance."""

from __future__ import annotations

from gis_census.errors import Finding
from gis_census.i18n import tr


def _help(key: str) -> str:
    """A help text from the catalog; argparse %-formats help, so a literal % must be doubled."""
    return tr(key).replace("%", "%%")


def _record_program(args) -> None:
    """Name this command in the files it saves, so a refused writer can say who saved."""
    from gis_census.project import meta

    meta.SAVED_BY = f"gis-census {args.verb}"


def _open(args, lazy: bool = False):
    """The project named on the command line, opened by this command (see :func:`_record_program`); `lazy`
    for a command that reads only some layers (see :meth:`CensusProject.open`)."""
    from gis_census.project import CensusProject

    _record_program(args)
    return CensusProject.open(args.project, lazy=lazy)


def _print_notices(notices: list[Finding]) -> None:
    for notice in notices:
        print(tr("notice_prefix") + notice.message())


def _print_balance(project) -> None:
    buildings = project["buildings"]
    print(tr("register_balance", source=tr("balance_" + project.meta.balance_count),
             population=int(buildings["population"].sum()), households=int(buildings["households"].sum())))
