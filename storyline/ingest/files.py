"""Finding input files and turning their bytes into text, or a reason they cannot be read."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import NotFoundError, RejectedInput

# Share of control characters (other than whitespace) above which bytes are not text.
_BINARY_CONTROL_SHARE = 0.05
_SNIFF_BYTES = 8192


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under the given paths, folders recursively, in a stable order.

    Hidden files and folders (names starting with ".") inside a folder are skipped.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or folder; check the path and try again")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(p.startswith(".") for p in relative):
                    yield child
        else:
            yield path


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing empty and oversized files."""
    size = path.stat().st_size
    if size == 0:
        raise RejectedInput("empty file")
    if size > limit:
        raise RejectedInput(
            f"file is {size:,} bytes, over the {limit:,}-byte limit "
            "(raise it with --max-bytes if this is really one report)"
        )
    return path.read_bytes()


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
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > _BINARY_CONTROL_SHARE * len(head)
