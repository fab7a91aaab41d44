"""The `clusterlab` command: a thin shell over the core.

Flags for settings come from the settings table; core errors become one line on stderr and exit
code 2 here, in :func:`main`, and nowhere else. Anything unexpected is exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ._version import __version__
from .core.errors import ClusterLabError, InputError, ModelError, SettingsError
from .core.progress import ProgressEvent
from .core.settings import SETTINGS, Settings
from .samples import SAMPLES

if TYPE_CHECKING:
    from .core.roles import ColumnChoices

# Only what builds the parser and checks the arguments is imported above, so that --help and a wrong
# flag answer at once; each command imports the heavy modules it runs (pandas, scikit-learn, the web).

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command whose reader went away


class ProgressPrinter:
    """Progress on stderr: one self-updating line on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()
        self.width = 0

    def __call__(self, event: ProgressEvent) -> None:
        steps = f" {event.done}/{event.total}" if event.total > 1 else ""
        line = f"[{time.perf_counter() - self.start:5.1f}s] {event.stage}{steps}: {event.message}"
        if self.tty:
            self.stream.write("\r" + line.ljust(self.width))
            self.width = len(line)
            if event.stage == "write" and event.done == event.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.width = 0


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
    group = parser.add_argument_group("settings")
    for spec in SETTINGS:
        # A setting without a default (sheet, scheduler) says in its own help what happens unset.
        default = "" if spec.default is None else f"default: {spec.default}; "
        help_text = f"{spec.help} ({default}{spec.accepts.describe()})"
        group.add_argument(
            spec.flag,
            dest=f"setting_{spec.name}",
            default=None,
            metavar=spec.name.upper(),
            help=_literal(help_text),
        )


def _server_flags(parser: argparse.ArgumentParser) -> None:
    # The flags come from the web server's settings model, which needs the web extras: without them
    # `serve` takes any flag and says how to install them (see _serve) instead of "unrecognized".
    try:
        from .web.config import ServerConfig
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


_CHOICE_FLAGS = {"roles": "--role", "exclude": "--exclude", "ordinal": "--ordinal", "label": "--label"}


def _flag_words(control: Any) -> str:
    """The command line's face of a control a core message names (a ``core.errors.Control``): the flag
    that sets it, with the value when the message gives one (``--heavy-tails keep``,
    ``--role Region=numeric``, ``--ordinal "Size=S,M,L"``)."""
    spec = next((s for s in SETTINGS if s.name == control.name), None)
    flag = spec.flag if spec else _CHOICE_FLAGS.get(control.name, "--" + control.name.replace("_", "-"))
    value = control.value
    if value is None:
        return flag
    if isinstance(value, dict):  # roles and ordinal: one flag per column
        return " ".join(f"{flag} {_shell_word(f'{c}={_joined(v)}')}" for c, v in value.items())
    return f"{flag} {_shell_word(_joined(value))}"


def _joined(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _shell_word(text: str) -> str:
    """``text`` as one word of a shell command: in double quotes when it has anything but plain characters."""
    if text and all(ch.isalnum() or ch in "_-.,=:/+@%" for ch in text):
        return text
    return '"' + "".join("\\" + ch if ch in '"\\$`' else ch for ch in text) + '"'


def _choices(args: argparse.Namespace) -> ColumnChoices:
    from .core.roles import ColumnChoices

    roles: dict[str, str] = {}
    for item in args.role:
        name, sep, role = item.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise SettingsError(
                f"--role {item!r} is not of the form COLUMN=ROLE (e.g. --role Region=categorical)."
            )
        roles[name.strip()] = role.strip().lower()
    exclude = tuple(c.strip() for item in args.exclude for c in item.split(",") if c.strip())
    ordinal = dict(ColumnChoices.parse_ordinal(item) for item in args.ordinal)
    return ColumnChoices(roles=roles, exclude=exclude, ordinal=ordinal, label=args.label)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given as flags, checked here so a message names the flag ("--k-max must be ...")."""
    given = {
        spec.name: getattr(args, f"setting_{spec.name}")
        for spec in SETTINGS
        if getattr(args, f"setting_{spec.name}", None) is not None
    }
    parsed = Settings.parse(given)
    return {name: getattr(parsed, name) for name in given}


def _run(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    settings = _settings(args)
    if settings.get("engine") != "dask":  # with dask, a folder or a pattern of parts
        _must_exist(args.file)
    from .outputs.text_files import output_folder

    choices = _choices(args)
    k = settings.pop("k", "auto")
    output_folder(args.out)
    if settings.get("engine") != "dask":
        return _cluster_and_save(args, k, choices, settings, progress, out)
    from .distributed.engine import DaskExecutor, connected

    scheduler = Settings.parse(settings).scheduler
    with connected(scheduler) as client:
        source = str(args.file)
        if args.file.is_dir() or any(c in source for c in "*?["):
            return _run_partitioned(args, k, choices, settings, client, progress, out)
        # One file: the usual pipeline, with the k sweep's jobs on the Dask cluster.
        return _cluster_and_save(args, k, choices, settings, progress, out, executor=DaskExecutor(client))


def _cluster_and_save(
    args: argparse.Namespace,
    k: Any,
    choices: ColumnChoices,
    settings: dict[str, Any],
    progress: Any,
    out: TextIO,
    executor: Any = None,
) -> int:
    from .result import cluster

    result = cluster(
        args.file,
        k,
        roles=choices.roles,
        exclude=choices.exclude,
        ordinal=choices.ordinal,
        label=choices.label,
        progress=progress,
        executor=executor,
        **settings,
    )
    _report(result, result.save(args.out, progress=progress), out)
    return EXIT_OK


def _run_partitioned(
    args: argparse.Namespace,
    k: Any,
    choices: ColumnChoices,
    settings: dict[str, Any],
    client: Any,
    progress: Any,
    out: TextIO,
) -> int:
    """A folder or pattern of parts, clustered out of core on the Dask cluster."""
    from .distributed.partitioned import cluster_partitioned

    summary = cluster_partitioned(
        str(args.file),
        args.out,
        client,
        k,
        settings=Settings.parse(settings),
        roles=choices.roles,
        exclude=choices.exclude,
        ordinal=choices.ordinal,
        label=choices.label,
        progress=progress,
    )
    if progress:
        progress.close()
    rec = summary["recommendation"]
    print(f"{args.file}: {summary['n_rows']:,} rows in {summary['source']['partitions']} parts", file=out)
    print(f"Recommended k: {rec['k']} ({rec['confidence']} confidence). {rec['reason']}", file=out)
    sizes = ", ".join(f"{c['cluster']}: {c['rows']:,} rows" for c in summary["cluster_sizes"])
    print(f"Clusters: {sizes}", file=out)
    print(f"Outputs:\n  {summary['output']['folder']}\n  {Path(args.out) / 'summary.json'}", file=out)
    return EXIT_OK


def _report(result: Any, written: dict[str, Path], out: TextIO) -> None:
    rec = result.recommendation
    print(f"{result.table.describe()}", file=out)
    print(f"Recommended k: {rec.k} ({rec.confidence} confidence). {rec.reason}", file=out)
    if result.k != rec.k:
        print(f"Clustered with k = {result.k} as you asked.", file=out)
    if rec.structure == "none":
        print(
            "Warning: the data shows no clear cluster structure; treat the groups as a partition, "
            "not as natural segments.",
            file=out,
        )
    sizes = ", ".join(
        f"{int(r.Cluster)}: {int(r.rows)} rows ({r.share:.0%})" for r in result.profiles.sizes.itertuples()
    )
    print(f"Clusters: {sizes}", file=out)
    _explain(result, out)
    for note in result.notes:
        if note.level == "warning":
            print(f"Note: {note.text(_flag_words)}", file=out)
    logged = [c["column"] for c in getattr(result.model.preprocessor_, "choices_", []) if c["step"] == "log"]
    if logged:
        print(
            "Log-scaled for clustering (heavy-tailed; --heavy-tails keep turns it off): "
            + ", ".join(f"'{c}'" for c in logged),
            file=out,
        )
    print("Outputs:", file=out)
    for path in written.values():
        print(f"  {path}", file=out)


def _explain(result: Any, out: TextIO) -> None:
    """Each cluster in words, and the outlier count (the same lines for run and assign)."""
    for d in result.descriptions:
        print(f"  {d.cluster}. {d.name} ({d.rows} rows): {d.traits}", file=out)
    o = result.outliers
    far = o.far_out_rows
    distance = f"beyond the {o.percentile:g}th percentile of their cluster's distance to its centre"
    if far:
        rows = ", ".join(str(i) for i in far[:5]) + (f" and {len(far) - 5} more" if len(far) > 5 else "")
        line = (
            f"Outliers: {o.count} row(s) (column '{result.outlier_column}'): {o.count - len(far)} {distance}, "
            f"{len(far)} with a value far outside its column (row{'s' if len(far) > 1 else ''} {rows})."
        )
    else:
        line = f"Outliers: {o.count} row(s) {distance} (column '{result.outlier_column}')."
    print(line, file=out)
    if result.evaluation is not None:
        ev = result.evaluation
        print(
            f"Agreement with '{ev.label}': ARI {ev.ari:.3f}, NMI {ev.nmi:.3f}, V-measure {ev.v_measure:.3f}",
            file=out,
        )


_ONE_FILE = (".xlsx", ".csv", ".html", ".htm")  # assign --out FILE writes just that file


def _assign(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    _must_exist(args.model, "Model file", ModelError)
    _must_exist(args.file)
    from .outputs.text_files import output_folder
    from .result import assign

    target: Path = args.out
    output_folder(target.parent if target.suffix.lower() in _ONE_FILE else target)
    result = assign(args.model, args.file, sheet=args.sheet, progress=progress)
    if target.suffix.lower() == ".xlsx":
        written = {"xlsx": result.to_excel(target)}
    elif target.suffix.lower() == ".csv":
        written = {"csv": result.to_csv(target)}
    elif target.suffix.lower() in (".html", ".htm"):
        written = {"report": result.to_html(target)}
    else:
        written = result.save(target, progress=progress)
    sizes = ", ".join(f"{int(r.Cluster)}: {int(r.rows)}" for r in result.profiles.sizes.itertuples())
    print(
        f"Assigned {len(result.clusters)} rows of {result.table.name} to {result.k} clusters ({sizes}).",
        file=out,
    )
    _explain(result, out)
    for note in result.notes:
        print(f"Note: {note.text(_flag_words)}", file=out)
    print("Outputs:", file=out)
    for path in written.values():
        print(f"  {path}", file=out)
    return EXIT_OK


def _inspect(args: argparse.Namespace, out: TextIO) -> int:
    _must_exist(args.file)
    from .core.read import read_table
    from .core.roles import detect_roles

    table = read_table(args.file, sheet=args.sheet)
    roles, notes = detect_roles(table.frame, _choices(args))
    print(table.describe(), file=out)
    width = max(len(c.name) for c in roles)
    for c in roles:
        missing = f", {c.n_missing} empty" if c.n_missing else ""
        shown = f"; e.g. {', '.join(c.examples)}" if c.examples else ""
        print(f"  {c.name:<{width}}  {c.role:<11} {c.reason}{missing}{shown}", file=out)
    for note in table.notes + notes:
        if note.level == "warning":
            print(f"Note: {note.text(_flag_words)}", file=out)
    return EXIT_OK


def _demo(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    from .outputs.text_files import output_folder
    from .result import cluster

    if args.sample not in SAMPLES:
        raise SettingsError(f"No sample named '{args.sample}'; choose one of {', '.join(SAMPLES)}.")
    sample = SAMPLES[args.sample]
    output_folder(args.out)
    print(f"Clustering the bundled sample '{sample.name}': {sample.description}", file=out)
    result = cluster(sample.path, label=sample.label, ordinal=sample.ordinal, progress=progress)
    _report(result, result.save(args.out, progress=progress), out)
    return EXIT_OK


def _must_exist(path: Path, what: str = "File", error: type[ClusterLabError] = InputError) -> None:
    """A missing file, said before the command loads pandas (the readers make the same check later)."""
    from .core.read.file_path import check_path

    check_path(path, what=what, error=error)


def _needs_web(package: str | None) -> SettingsError:
    return SettingsError(f"The web app needs extra packages ({package}); run `pip install clusterlab[web]`.")


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "missing_extra", None):  # found while building the flags
        raise _needs_web(args.missing_extra)
    try:
        from .web.server import serve
    except ImportError as err:
        raise _needs_web(err.name) from None
    server = {k.removeprefix("server_"): v for k, v in vars(args).items() if k.startswith("server_")}
    try:
        serve(host=args.host, port=args.port, **server)
    except ValueError as err:  # a bad server setting (ServerConfig names its flag)
        raise SettingsError(str(err)) from None
    return EXIT_OK


def _dispatch(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    if args.command == "run":
        return _run(args, progress, out)
    if args.command == "assign":
        return _assign(args, progress, out)
    if args.command == "inspect":
        return _inspect(args, out)
    if args.command == "demo":
        return _demo(args, progress, out)
    return _serve(args)


def _silence(out: TextIO) -> None:
    """Point a closed pipe at /dev/null, so the interpreter's last flush does not fail again."""
    # Not a real file descriptor (an in-memory stream in tests): nothing left to flush.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the `clusterlab` command. Returns the exit code."""
    out = out or sys.stdout
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and not getattr(args, "missing_extra", None):  # as parse_args, but see _server_flags
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    progress = None if args.quiet else ProgressPrinter()
    try:
        code = _dispatch(args, progress, out)
        out.flush()  # here, so a reader that went away is caught below rather than at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`clusterlab run ... | head`): not a failure, nothing to report.
        _silence(out)
        return EXIT_PIPE
    except ClusterLabError as err:
        if progress:
            progress.close()
        print(f"clusterlab: error: {err.text(_flag_words)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("clusterlab: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: say so plainly, traceback only on request
        if progress:
            progress.close()
        if args.debug or os.environ.get("CLUSTERLAB_DEBUG"):
            raise
        print(
            f"clusterlab: internal error ({type(err).__name__}: {err}). Please report it; "
            "run again with --debug for details.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
