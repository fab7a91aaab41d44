"""What the commands print: progress on stderr, and what a run found on stdout."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

from ..core.formatting import format_share
from ..core.progress import ProgressEvent
from .words import flag_words

__all__ = ["ProgressPrinter", "print_clusters", "print_report"]


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


def method_title(name: str) -> str:
    """ "gmm" -> "Gaussian mixture": the method's own title, or its name when it is not installed."""
    from ..core.methods import METHODS

    return METHODS[name].title if name in METHODS else name


def print_report(result: Any, written: dict[str, Path], out: TextIO) -> None:
    rec = result.recommendation
    print(f"{result.table.describe()}", file=out)
    if getattr(rec, "kmeans_k", None) is None:  # no comparison of methods ran (a method was named)
        print(f"Recommended k: {rec.k} ({rec.confidence} confidence). {rec.reason}", file=out)
    else:
        print(
            f"Recommended k: {rec.k}, method: {method_title(rec.method)} ({rec.confidence} "
            f"confidence). {rec.reason}",
            file=out,
        )
    if result.k != rec.k:
        print(f"Clustered with k = {result.k} as you asked.", file=out)
    if rec.structure == "none":
        print(
            "Warning: the data shows no clear cluster structure; treat the groups as a partition, "
            "not as natural segments.",
            file=out,
        )
    sizes = ", ".join(
        f"{int(r.Cluster)}: {int(r.rows)} {'row' if int(r.rows) == 1 else 'rows'} ({r.share:.0%})"
        for r in result.profiles.sizes.itertuples()
    )
    noise = result.noise_count
    if noise:  # rows a density method left in no cluster: counted here, kept in every output
        share = format_share(noise / len(result.clusters))
        sizes += (
            f"; Noise (in no dense group, Cluster 0): {noise} {'row' if noise == 1 else 'rows'} ({share})"
        )
    print(f"Clusters: {sizes}", file=out)
    print_clusters(result, out)
    for note in result.notes:
        if note.level == "warning":
            print(f"Note: {note.text(flag_words)}", file=out)
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


def print_clusters(result: Any, out: TextIO) -> None:
    """Each cluster in words, and the outlier count (the same lines for run and assign)."""
    for d in result.descriptions:
        print(f"  {d.cluster}. {d.name} ({d.rows} rows): {d.traits}", file=out)
        if d.examples:  # a free-text column: what its texts read like (nearest the centre)
            print(f'     e.g. "{d.examples[0]}"', file=out)
        verdict = "; ".join(part for part in ("" if d.useful else "marked not useful", d.note) if part)
        if verdict:  # what the user said of it (Clustering.annotate, or the names in model.json)
            print(f"     {verdict}", file=out)
    print(f"Outliers: column '{result.outlier_column}' flags {result.outliers.describe(rows=5)}.", file=out)
    if result.evaluation is not None:
        ev = result.evaluation
        print(
            f"Agreement with '{ev.label}': ARI {ev.ari:.3f}, NMI {ev.nmi:.3f}, V-measure {ev.v_measure:.3f}",
            file=out,
        )
