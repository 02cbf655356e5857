"""The verb `accept`: the county reviewer's acceptance (验收) of a township's division, recorded in its project."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis_census.cli.common import _help, _open
from gis_census.i18n import tr

__all__ = ["add_accept_verb", "ACCEPT_VERBS"]


def add_accept_verb(verbs, common: argparse.ArgumentParser) -> None:
    """The parser of `accept`."""
    accept = verbs.add_parser("accept", parents=[common], help=_help("cli_accept"))
    accept.add_argument("project", type=Path)
    accept.add_argument("--reviewer", required=True, metavar="NAME", help=_help("cli_accept_reviewer"))
    accept.add_argument("--exception", action="append", default=[], metavar="CODE:REASON",
                        help=_help("cli_accept_exception"))


def _cmd_accept(args) -> int:
    from gis_census.checks import check_project
    from gis_census.checks.acceptance import accept, parse_exception

    exceptions = [parse_exception(text) for text in args.exception]  # a malformed one is refused before reading
    project = _open(args, lazy=True)
    record = accept(project, args.reviewer, exceptions, check_project(project))
    project.save()
    print(tr("accept_done", path=str(project.path), reviewer=record.reviewer, date=record.date, n=len(exceptions),
             hash=record.hash[:12]))
    for e in record.exceptions:
        print(tr("accept_exception_line", code=e.code, reason=e.reason))
    return 0


ACCEPT_VERBS = {"accept": _cmd_accept}
