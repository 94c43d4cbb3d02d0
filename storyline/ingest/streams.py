"""Reading a dump or an archive as a stream, within limits a hostile file cannot pass.

Gzip is expanded a chunk at a time and the expanded size is capped at MAX_EXPANSION times
the file's size, so 1.2 MB of gzip holding 1.2 GB of newlines is refused after 120 MB, in
about a second, not minutes; a line longer than a document is skipped to its end without
being held; blank lines cost a scan in C, not a turn of a Python loop each.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import RejectedInput

CHUNK_BYTES = 1 << 20
# Gzip may expand a file to this many times its size before it is taken for a bomb: news
# text and HTML compress 3 to 10 times, a run of one byte 1,000 times.
MAX_EXPANSION = 100
_GZIP_MAGIC = b"\x1f\x8b"
_NON_BLANK = re.compile(rb"\S")


class ExpandedStream:
    """A file's bytes, gunzipped if they are gzip; gzip is refused past `limit` expanded bytes.

    A gzip stream that ends before its end marker (a cut download) ends the stream early
    and sets `truncated`, so that what came before the cut is still read.
    """

    def __init__(self, handle: io.BufferedIOBase, limit: int) -> None:
        self.compressed = handle.read(2) == _GZIP_MAGIC
        handle.seek(0)
        self._handle = handle
        self._source = gzip.GzipFile(fileobj=handle) if self.compressed else handle
        self.limit = limit
        self.expanded = 0
        self.truncated = False

    @classmethod
    def open(cls, path: Path, max_document_bytes: int) -> ExpandedStream:
        """The file at `path`; gzip may expand to MAX_EXPANSION times the file's size (and
        at least to one document)."""
        limit = max(max_document_bytes, MAX_EXPANSION * path.stat().st_size)
        return cls(path.open("rb"), limit)

    def read(self, size: int = CHUNK_BYTES) -> bytes:
        """Up to `size` bytes (fewer is not the end; b"" is)."""
        if self.truncated:
            return b""
        try:
            data = self._source.read1(size if size > 0 else CHUNK_BYTES)
        except EOFError:
            self.truncated = True
            return b""
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise RejectedInput(f"broken gzip data ({exc})") from None
        self.expanded += len(data)
        if self.compressed and self.expanded > self.limit:
            raise RejectedInput(
                f"gzip data expands past {self.limit:,} bytes, over {MAX_EXPANSION} times "
                "the file's size; refused as a decompression bomb"
            )
        return data

    def tell(self) -> int:
        return self.expanded

    def close(self) -> None:
        self._source.close()
        self._handle.close()

    def __enter__(self) -> ExpandedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def non_blank_lines(stream: ExpandedStream, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Each non-blank line with its number (from 1); None in place of a line over `limit`
    bytes, which is skipped to its end rather than held. Leading blanks are dropped."""
    number = 1
    pieces: list[bytes] = []  # the start of a line that runs on into the next chunk
    held = 0
    overlong = False
    while chunk := stream.read(CHUNK_BYTES):
        position = 0
        while position < len(chunk):
            if not pieces and not overlong:
                # Between lines: skip blank lines at C speed, counting them.
                found = _NON_BLANK.search(chunk, position)
                if found is None:
                    number += chunk.count(b"\n", position)
                    break
                number += chunk.count(b"\n", position, found.start())
                position = found.start()
            end = chunk.find(b"\n", position)
            piece = chunk[position:] if end < 0 else chunk[position:end]
            if not overlong and held + len(piece) > limit:
                overlong, pieces, held = True, [], 0
            if not overlong:
                pieces.append(piece)
                held += len(piece)
            if end < 0:
                break
            yield number, None if overlong else b"".join(pieces)
            number += 1
            pieces, held, overlong = [], 0, False
            position = end + 1
    if overlong or any(piece.strip() for piece in pieces):
        yield number, None if overlong else b"".join(pieces)
