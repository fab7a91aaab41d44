"""The `clusterlab` command: a thin shell over the core.

``parser`` builds the flags (settings from the settings tables), ``commands`` runs them, ``printing``
says what happened and ``words`` how the command line names a control (its flag). Core errors become
one line on stderr and exit code 2 here, in :func:`main`, and nowhere else; anything unexpected is
exit code 1. Only what builds the parser and checks the arguments is imported at start-up, so that
``--help`` and a wrong flag answer at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from ..core.errors import ClusterLabError
from .commands import dispatch
from .parser import EXIT_USAGE, build_parser
from .printing import ProgressPrinter
from .words import flag_words

__all__ = ["build_parser", "main"]

EXIT_INTERNAL = 1
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command whose reader went away


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
        code = dispatch(args, progress, out)
        out.flush()  # here, so a reader that went away is caught below rather than at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`clusterlab run ... | head`): not a failure, nothing to report.
        _silence(out)
        return EXIT_PIPE
    except ClusterLabError as err:
        if progress:
            progress.close()
        print(f"clusterlab: error: {err.text(flag_words)}", file=sys.stderr)
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
