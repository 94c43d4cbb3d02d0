"""Finding input files and turning their bytes into text, or a reason they cannot be read."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import NotFoundError, RejectedInput
from ..models import Rejection

# Share of control characters (other than whitespace) above which bytes are not text.
_BINARY_CONTROL_SHARE = 0.05
_SNIFF_BYTES = 8192
# Lone UTF-16 surrogates: JSON and YAML escapes and a few codecs make them; SQLite's
# UTF-8 cannot hold them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Every file under the given paths, folders recursively, in a stable order; what
    cannot be read safely is a Rejection instead.

    Hidden files and folders (names starting with ".") inside a folder are skipped. Inside
    a folder, a symbolic link is not followed out of it: a folder of reports that links to
    /etc/passwd must not put that file in the store.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or folder; check the path and try again")
        if path.is_dir():
            yield from _walk_folder(path)
        else:
            yield _unreadable_name(path) or _not_regular(path) or path


def _walk_folder(folder: Path) -> Iterator[Path | Rejection]:
    root = folder.resolve()
    for child in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in child.relative_to(folder).parts):
            continue
        rejection = _unreadable_name(child) or _link_out_of(child, root)
        if rejection is not None:
            yield rejection
        elif child.is_file():
            yield child


def _unreadable_name(path: Path) -> Rejection | None:
    """A name that is not UTF-8 (Python holds its bad bytes as surrogates) cannot be
    stored as an article's source, so the file is refused, named with its bytes escaped."""
    name = str(path)
    if not _SURROGATE.search(name):
        return None
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    return Rejection(shown, "the file name is not valid UTF-8; rename the file and try again")


def _link_out_of(path: Path, root: Path) -> Rejection | None:
    """A symbolic link that is broken or leads out of `root`; links inside are fine (rglob
    does not descend into linked folders, whose files are read where they really are)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop of links
        return Rejection(str(path), "symbolic link that leads round in a loop")
    if not target.exists():
        return Rejection(str(path), f"broken symbolic link (to {target})")
    if not target.is_relative_to(root):
        return Rejection(
            str(path),
            f"symbolic link to {target}, outside the folder given; not followed "
            "(copy the file into the folder if it should be read)",
        )
    return None


def _not_regular(path: Path) -> Rejection | None:
    """Devices and pipes never end, or block until someone writes."""
    if path.is_file():
        return None
    return Rejection(str(path), "not a regular file (a device, pipe or socket)")


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing empty and oversized files.

    At most `limit` + 1 bytes are read, whatever the size the file gave when asked: a
    file still being written, or one under /proc, says one thing and holds another.
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if not data:
        raise RejectedInput("empty file")
    if len(data) > limit:
        size = max(path.stat().st_size, len(data))
        raise RejectedInput(
            f"file is {size:,} bytes, over the {limit:,}-byte limit "
            "(raise it with --max-bytes if this is really one report)"
        )
    return data


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or BOM-marked UTF-16; binary is refused."""
    if not data.strip():
        raise RejectedInput("empty document")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise RejectedInput(f"broken UTF-16 text ({exc.reason})") from None
    if looks_binary(data):
        raise RejectedInput("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedInput(
            f"not valid UTF-8 (byte {exc.start}); convert it first, e.g. iconv -t UTF-8"
        ) from None


def looks_binary(data: bytes) -> bool:
    """A NUL byte anywhere (text never holds one, and one past the first few kilobytes
    would otherwise reach the store), or many control characters near the start."""
    if b"\x00" in data:
        return True
    head = data[:_SNIFF_BYTES]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > _BINARY_CONTROL_SHARE * len(head)


def one_line(text: str, limit: int = 200) -> str:
    """The first line of a message, cut to `limit` characters: a reason the user reads
    (libraries put whole input lines in their messages)."""
    first = next(iter(text.strip().splitlines()), "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


def storable(text: str) -> str:
    """The text with lone surrogates replaced by U+FFFD, so that it can be stored."""
    return _SURROGATE.sub("\ufffd", text)
