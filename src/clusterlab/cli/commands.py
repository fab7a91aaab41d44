"""The commands: run, assign, inspect, demo and serve. Each imports the heavy modules it runs (pandas,
scikit-learn, the web app) when it runs, so that ``--help`` and a wrong flag need none of them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..core.errors import ClusterLabError, InputError, ModelError, SettingsError
from ..core.settings import SETTINGS, Settings
from ..samples import SAMPLES
from .printing import print_clusters, print_report
from .words import flag_words

if TYPE_CHECKING:
    from ..core.roles import ColumnChoices

__all__ = ["EXIT_OK", "dispatch"]

EXIT_OK = 0


def dispatch(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    if args.command == "run":
        return run(args, progress, out)
    if args.command == "assign":
        return assign_rows(args, progress, out)
    if args.command == "inspect":
        return inspect(args, out)
    if args.command == "demo":
        return demo(args, progress, out)
    return start_server(args)


def column_choices(args: argparse.Namespace) -> ColumnChoices:
    from ..core.roles import ColumnChoices

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


def given_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given as flags, checked here so a message names the flag ("--k-max must be ...")."""
    given = {
        spec.name: getattr(args, f"setting_{spec.name}")
        for spec in SETTINGS
        if getattr(args, f"setting_{spec.name}", None) is not None
    }
    parsed = Settings.parse(given)
    return {name: getattr(parsed, name) for name in given}


def run(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    settings = given_settings(args)
    if settings.get("engine") != "dask":  # with dask, a folder or a pattern of parts
        _must_exist(args.file)
    from ..outputs.text_files import output_folder

    choices = column_choices(args)
    k = settings.pop("k", "auto")
    output_folder(args.out)
    if settings.get("engine") != "dask":
        return _cluster_and_save(args, k, choices, settings, progress, out)
    from ..distributed.engine import DaskExecutor, connected

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
    from ..result import cluster

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
    print_report(result, result.save(args.out, progress=progress), out)
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
    from ..distributed.partitioned import cluster_partitioned

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


_ONE_FILE = (".xlsx", ".csv", ".html", ".htm")  # assign --out FILE writes just that file


def assign_rows(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    _must_exist(args.model, "Model file", ModelError)
    _must_exist(args.file)
    from ..outputs.text_files import output_folder
    from ..result import assign

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
    print_clusters(result, out)
    for note in result.notes:
        print(f"Note: {note.text(flag_words)}", file=out)
    print("Outputs:", file=out)
    for path in written.values():
        print(f"  {path}", file=out)
    return EXIT_OK


def inspect(args: argparse.Namespace, out: TextIO) -> int:
    _must_exist(args.file)
    from ..core.read import read_table
    from ..core.roles import detect_roles

    table = read_table(args.file, sheet=args.sheet)
    roles, notes = detect_roles(table.frame, column_choices(args))
    print(table.describe(), file=out)
    width = max(len(c.name) for c in roles)
    for c in roles:
        missing = f", {c.n_missing} empty" if c.n_missing else ""
        shown = f"; e.g. {', '.join(c.examples)}" if c.examples else ""
        print(f"  {c.name:<{width}}  {c.role:<11} {c.reason}{missing}{shown}", file=out)
    for note in table.notes + notes:
        if note.level == "warning":
            print(f"Note: {note.text(flag_words)}", file=out)
    # What the web app's "Your data" says before a run: data problems, and numbers that may be codes.
    from ..core.encode.data_checks import data_checks
    from ..core.errors import Control, render

    for note in data_checks(table.frame, roles):
        print(f"Check: {note.text(flag_words)}", file=out)
    for c in roles:
        if c.role == "numeric" and c.codes:
            offer = f"{c.codes}: codes rather than amounts? Use {Control('roles', {c.name: 'categorical'})}."
            print(f"Check: Column '{c.name}' holds {render(offer, flag_words)}", file=out)
    return EXIT_OK


def demo(args: argparse.Namespace, progress: Any, out: TextIO) -> int:
    from ..outputs.text_files import output_folder
    from ..result import cluster

    if args.sample not in SAMPLES:
        raise SettingsError(f"No sample named '{args.sample}'; choose one of {', '.join(SAMPLES)}.")
    sample = SAMPLES[args.sample]
    output_folder(args.out)
    print(f"Clustering the bundled sample '{sample.name}': {sample.description}", file=out)
    result = cluster(
        sample.path, label=sample.label, ordinal=sample.ordinal, progress=progress, **sample.settings
    )
    print_report(result, result.save(args.out, progress=progress), out)
    return EXIT_OK


def _must_exist(path: Path, what: str = "File", error: type[ClusterLabError] = InputError) -> None:
    """A missing file, said before the command loads pandas (the readers make the same check later)."""
    from ..core.read.file_path import check_path

    check_path(path, what=what, error=error)


def _needs_web(package: str | None) -> SettingsError:
    return SettingsError(f"The web app needs extra packages ({package}); run `pip install clusterlab[web]`.")


def start_server(args: argparse.Namespace) -> int:
    if getattr(args, "missing_extra", None):  # found while building the flags
        raise _needs_web(args.missing_extra)
    try:
        from ..web.server import serve
    except ImportError as err:
        raise _needs_web(err.name) from None
    server = {k.removeprefix("server_"): v for k, v in vars(args).items() if k.startswith("server_")}
    try:
        serve(host=args.host, port=args.port, **server)
    except ValueError as err:  # a bad server setting (ServerConfig names its flag)
        raise SettingsError(str(err)) from None
    return EXIT_OK
