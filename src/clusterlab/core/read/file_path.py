"""Whether a path names a file at all: said in one sentence, before anything heavy is loaded.

The CLI checks its arguments with this before it imports pandas (``clusterlab run missing.csv``
answers at once); :func:`.file_check.check_file` starts with it too.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ClusterLabError, InputError

__all__ = ["check_path", "printable_name"]


def check_path(
    path: Path, name: str | None = None, *, what: str = "File", error: type[ClusterLabError] = InputError
) -> None:
    """Raise ``error`` when ``name`` (the file's own name by default) holds a NUL character or ``path``
    does not exist.

    >>> check_path(Path("no-such.csv"))
    Traceback (most recent call last):
    ...
    clusterlab.core.errors.InputError: File 'no-such.csv' does not exist.
    """
    name = name or path.name
    if "\x00" in str(path) or "\x00" in name:
        raise error(
            f"{what} name {printable_name(name)} holds a NUL character, which no file name can hold; give "
            "the file's real name.",
            detail={"file": printable_name(name)},
        )
    if not path.exists():
        raise error(f"{what} '{name}' does not exist.", detail={"file": str(path)})


def printable_name(name: str) -> str:
    """A name in quotes, with characters that cannot be shown written as escapes.

    >>> printable_name("a" + chr(0) + "b.csv")
    "'a\\\\x00b.csv'"
    """
    return "'" + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name) + "'"
