"""The command line's flags: the subcommands, the column choices, and one flag per row of the settings
tables (run settings from :data:`clusterlab.core.SETTINGS`, server settings from the web's model).

Only light modules are imported here, so that ``--help`` and a wrong flag answer at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._version import __version__
from ..core.settings import GROUPS, SETTINGS

__all__ = ["EXIT_USAGE", "build_parser"]

EXIT_USAGE = 2  # bad input or usage: one line on stderr


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"clusterlab: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="clusterlab", description="Cluster the rows of a spreadsheet, explained.")
    parser.add_argument("--version", action="version", version=f"clusterlab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser(
        "run",
        help="cluster a file and write the results",
        description="Cluster a spreadsheet (.xlsx, .xls, .csv, .tsv, .txt, .parquet).",
    )
    run.add_argument(
        "file", type=Path, help="the spreadsheet, or with --engine dask a folder or pattern of parts"
    )
    run.add_argument("--out", type=Path, default=Path("results"), help="output folder (default: results/)")
    _column_flags(run)
    _setting_flags(run)
    _common_flags(run)

    assign = sub.add_parser("assign", help="label new rows with a saved model.json")
    assign.add_argument("model", type=Path, help="the model.json a run wrote")
    assign.add_argument("file", type=Path, help="the spreadsheet of rows to label")
    assign.add_argument(
        "--out",
        type=Path,
        default=Path("assigned"),
        help="an .xlsx, .csv or .html file, or a folder for every output (default: assigned/)",
    )
    assign.add_argument("--sheet", help="Excel sheet to read")
    _common_flags(assign)

    inspect = sub.add_parser("inspect", help="show each column's detected role and why")
    inspect.add_argument("file", type=Path, help="the spreadsheet")
    inspect.add_argument("--sheet", help="Excel sheet to read (default: the first non-empty one)")
    _column_flags(inspect)
    _common_flags(inspect)

    demo = sub.add_parser("demo", help="cluster a bundled sample and say where the outputs are")
    demo.add_argument("sample", nargs="?", default="customers", help="customers (default), iris or wine")
    demo.add_argument(
        "--out", type=Path, default=Path("results/demo"), help="output folder (default: results/demo/)"
    )
    _common_flags(demo)

    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _server_flags(serve)
    _common_flags(serve)
    return parser


def _column_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("columns")
    group.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="COL=ROLE",
        help="override a column's role (numeric, binary, categorical, text, datetime, "
        "identifier, excluded...)",
    )
    group.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="COL[,COL...]",
        help="leave columns out of the clustering (they stay in the output)",
    )
    group.add_argument(
        "--ordinal",
        action="append",
        default=[],
        metavar="COL=LOW,...,HIGH",
        help='order the levels of a category, e.g. "Size=S,M,L,XL"',
    )
    group.add_argument(
        "--label", metavar="COL", help="a known grouping: not clustered on, only compared with"
    )


def _setting_flags(parser: argparse.ArgumentParser) -> None:
    # Grouped as the web form groups them, by what a person decides with them.
    groups = {key: parser.add_argument_group(title.lower()) for key, title in GROUPS.items()}
    for spec in SETTINGS:
        # A setting without a default (sheet, scheduler) says in its own help what happens unset.
        default = "" if spec.default is None else f"default: {spec.default}; "
        help_text = f"{spec.help} ({default}{spec.describe()})"
        groups[spec.group].add_argument(
            spec.flag,
            dest=f"setting_{spec.name}",
            default=None,
            metavar=spec.name.upper(),
            help=_literal(help_text),
        )


def _server_flags(parser: argparse.ArgumentParser) -> None:
    # The flags come from the web server's settings model, which needs the web extras: without them
    # `serve` takes any flag and says how to install them (see serve) instead of "unrecognized".
    try:
        from ..web.config import ServerConfig
    except ImportError as err:
        parser.set_defaults(missing_extra=err.name)
        return
    for name, field in ServerConfig.model_fields.items():
        default = "unset" if field.default is None else field.default
        parser.add_argument(
            ServerConfig.flag(name),
            dest=f"server_{name}",
            default=None,
            metavar=name.upper(),
            help=_literal(f"{field.description} (default: {default}; environment: {ServerConfig.env(name)})"),
        )


def _literal(text: str) -> str:
    # argparse treats help as a %-format string: "at most 1% of a column" would crash --help.
    return text.replace("%", "%%")


def _common_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
