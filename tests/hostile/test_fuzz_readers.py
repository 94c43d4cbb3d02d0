"""Property tests of every reader, the cleaner and the date resolver (issue: nothing a file
sends can break a store): whatever bytes a file holds, reading it yields only RawDocuments
and Rejections with a one-line reason, every string of them can be stored, and it ends soon.

Inputs are generated around each format (front matter of YAML's odd values, JSON records,
feeds, WARC records), then cut and mutated, so that the generator reaches past the first
check a reader makes. Runs are deterministic and small here; benchmarks/fuzz_readers.py runs
the same strategies for longer.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import RawDocument, Rejection, Settings, UsageError
from storyline.enrich.dates import parse_anchor
from storyline.enrich.temporal import find_mentions
from storyline.errors import RejectedInput
from storyline.extract import clean_text
from storyline.extract.clean import normalise
from storyline.ingest import normalise_published, parse_user_date, read_inputs, streams
from storyline.ingest.published import declared_published
from storyline.ingest.records import json_depth

# Small documents, so that the limits are reached too.
LIMITS = Settings(db_path=Path(":memory:"), max_document_bytes=64 * 1024)
SECONDS_PER_FILE = 10.0
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Reasons read_inputs gives when a reader raised what it should have turned into a reason.
UNFORESEEN = ("could not be read (", "cannot read file (")

BODY = (
    "The harbour authority closed the northern pier on Thursday after divers found corrosion "
    "in three of its steel piles."
)

# -- checking what a reader yields ----------------------------------------------------------


def check_items(found: list[RawDocument | Rejection]) -> None:
    for item in found:
        assert isinstance(item, RawDocument | Rejection)
        for value in vars(item).values():
            if isinstance(value, str):
                value.encode("utf-8")  # no lone surrogates: the store can hold it
        if isinstance(item, Rejection):
            assert item.reason.strip() and "\n" not in item.reason and len(item.reason) < 400
            assert not item.reason.startswith(UNFORESEEN), item.reason
        else:
            assert (item.text is None) != (item.html is None)
            assert item.published is None or ISO_DAY.match(item.published)


def read_bytes_as(folder: Path, name: str, data: bytes) -> list[RawDocument | Rejection]:
    """What read_inputs makes of a file `name` holding `data`, checked, within the time."""
    path = folder / name
    path.write_bytes(data)
    try:
        started = time.perf_counter()
        found = list(read_inputs([path], LIMITS))
        assert time.perf_counter() - started < SECONDS_PER_FILE
    finally:
        path.unlink()
    check_items(found)
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# -- strategies -----------------------------------------------------------------------------

ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\x00\r\n\t\f\v\u200b\ufeff\u2028\ufffd<>&[]{}\"':#*!|-"),
    ),
    max_size=200,
)
YAML_ODDITIES = [
    ".inf", "-.inf", "NaN", ".nan", "~", "null", "yes", "off", "2025-02-30", "0000-01-01",
    "2026-04-02", "2026-04-02 10:00:00+02:00", "1e999", "1e20", "9" * 5000, "99999999999999999",
    "0x1F", "0o17", "1_000", "12:30:00", "&a x", "*a", "!!binary aGk=", "!!int 5",
    "!!timestamp 2025-02-30", "!!float nan", "!!python/object:os.system x", "[", "{", "'",
    '"', "|", ">", "- x", "? x", "%TAG", "@", "`", '"\\ud800"', '"\\x00"', "[[[[[[[[[[[[x]]]]]]]]]]]]",
    "{a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: 1}}}}}}}}}}}",
]  # fmt: skip
FRONT_MATTER_KEYS = ["title", "published", "date", "outlet", "source", "url", "link", "author"]
yaml_values = st.one_of(
    st.sampled_from(YAML_ODDITIES),
    ODD_TEXT.map(lambda text: text.replace("\n", " ")),
    st.integers().map(str),
    st.floats().map(repr),
)
front_matter = st.lists(
    st.tuples(st.one_of(st.sampled_from(FRONT_MATTER_KEYS), st.text(max_size=8)), yaml_values),
    max_size=8,
).map(lambda pairs: "\n".join(f"{key}: {value}" for key, value in pairs))


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """Bytes of a well-formed input, then maybe cut and a few bytes overwritten."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if data and draw(st.booleans()):
        del data[draw(st.integers(0, len(data) - 1)) :]
    return bytes(data)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def utf8(text: str) -> bytes:
    """The text as UTF-8, a lone surrogate written as the bytes that would encode it."""
    return text.encode("utf-8", "surrogatepass")


texts = st.builds(
    lambda matter, close, body, bom: utf8(f"{bom}---\n{matter}\n{close}\n{body}"),
    front_matter,
    st.sampled_from(["---", "...", "--- ", ""]),
    st.one_of(st.just(BODY), ODD_TEXT),
    st.sampled_from(["", "\ufeff"]),
)
text_files = st.one_of(
    texts,
    texts.map(lambda data: data.decode("utf-8", "replace").encode("utf-16")),
    mutated(texts),
    st.binary(max_size=500),
)

html_files = st.one_of(
    st.builds(
        lambda head, body, tail: utf8(f"<html><head>{head}</head><body>{body}{tail}"),
        st.sampled_from(
            ["", '<meta charset="bogus">', "<title>T</title>", "<!DOCTYPE x [<!ENTITY a 'b'>]>"]
        ),
        st.one_of(st.just(f"<p>{BODY}</p>"), ODD_TEXT),
        st.sampled_from(["", "</body></html>", "<div>" * 300, "\x00"]),
    ),
    st.binary(max_size=500),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["2026-04-02", "2025-02-30", "Thu, 02 Apr 2026 10:00:00 +0000", "tomorrow"]),
)


def nested(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=6), children, max_size=3
    )


json_values = st.recursive(json_scalars, nested, max_leaves=12)
records = st.fixed_dictionaries(
    {"text": st.one_of(st.just(BODY), st.text(max_size=300), json_values)},
    optional={
        "html": st.one_of(st.just(f"<p>{BODY}</p>"), json_values),
        "title": json_values,
        "published": json_values,
        "time": json_values,
        "url": json_values,
        "outlet": json_values,
        "author": json_values,
    },
)


def dumped(value: object, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


json_texts = st.one_of(
    st.builds(
        dumped, st.one_of(records, st.lists(records, max_size=4), json_values), st.booleans()
    ),
    st.integers(0, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.text(alphabet='[]{}",:\\0123456789 eE.-truefalsnNI', max_size=200),
)
json_files = st.one_of(
    json_texts.map(utf8),
    mutated(json_texts.map(utf8)),
)

jsonl_texts = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(st.one_of(json_texts, st.just(""), st.just("   "), ODD_TEXT), max_size=8),
    st.sampled_from(["\n", "\r\n", "\n\n\n"]),
).map(utf8)
jsonl_files = st.one_of(jsonl_texts, mutated(jsonl_texts), st.binary(max_size=300))
jsonl_gz_files = st.one_of(
    jsonl_texts.map(gzipped),
    mutated(jsonl_texts.map(gzipped)),
    st.binary(max_size=300),
)

FEED_ENCODINGS = [
    "",
    "utf-8",
    "UTF-8",
    "bogus-enc",
    "gbk",
    "utf-16",
    "iso-8859-1",
    "idna",
    "utf-32",
    "x" * 300,
]
FEED_DOCTYPES = [
    "",
    '<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://x/rss.dtd">',
]


def feed_text(encoding: str, doctype: str, title: str, body: str, date: str, atom: bool) -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    if atom:
        return (
            f'{declaration}{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<entry><title>{title}</title><link href='https://f.example/1'/><updated>{date}</updated>"
            f"<content type='html'>{body}</content></entry></feed>"
        )
    return (
        f'{declaration}{doctype}<rss version="2.0"><channel><title>{title}</title><item>'
        f"<title>{title}</title><link>https://f.example/1</link><pubDate>{date}</pubDate>"
        f"<author>a@b.example (A B)</author><description>{body}</description></item></channel></rss>"
    )


feeds = st.builds(
    lambda encoding, *parts: utf8(feed_text(encoding, *parts)),
    st.sampled_from(FEED_ENCODINGS),
    st.sampled_from(FEED_DOCTYPES),
    st.one_of(st.just("Harbour"), ODD_TEXT),
    st.one_of(st.just(BODY), st.just(f"{BODY} &b; &x; &amp; &#0; &#xD800;"), ODD_TEXT),
    st.one_of(
        st.sampled_from(
            ["Thu, 02 Apr 2026 10:00:00 +0000", "2026-02-30T00:00:00Z", "Thu, 02 Apr 99999"]
        ),
        ODD_TEXT,
    ),
    st.booleans(),
)
feed_files = st.one_of(feeds, mutated(feeds), st.binary(max_size=300))

WARC_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=idna",
    "text/html; charset=undefined",
    "text/html; charset=unicode_escape",
    "text/html; charset=utf-7",
    "text/html; charset=bogus",
    "application/xhtml+xml; charset=latin-1",
    "image/png",
]
warc_records = st.lists(
    st.tuples(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/.:%?=&", max_size=40),
        st.sampled_from(WARC_TYPES),
        st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "abc"]),
        st.one_of(st.just(f"<p>{BODY}</p>".encode()), st.binary(max_size=400)),
        st.sampled_from(["response", "request", "resource", "metadata"]),
    ),
    max_size=4,
)


def warc_bytes(records: list[tuple[str, str, str, bytes, str]], compress: bool) -> bytes:
    """An archive of the records, the same bytes on every call (Hypothesis replays them)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for number, (url, content_type, status, body, kind) in enumerate(records):
        fixed = {"WARC-Date": "2026-04-03T12:00:00Z", "WARC-Record-ID": f"<urn:uuid:{number}>"}
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://w.example/{url}",
                kind,
                payload=io.BytesIO(body),
                http_headers=http if kind in ("response", "request") else None,
                warc_headers_dict=fixed,
            )
        )
    return buffer.getvalue()


warcs = st.builds(warc_bytes, warc_records, st.booleans())
warc_files = st.one_of(warcs, mutated(warcs), st.binary(max_size=300))

# -- readers: every suffix a reader is registered for ------------------------------------


def named(
    names: list[str], contents: st.SearchStrategy[bytes]
) -> st.SearchStrategy[tuple[str, bytes]]:
    return st.tuples(st.sampled_from(names), contents)


# What benchmarks/fuzz_readers.py runs too, for longer: a file name and its bytes, per reader.
FILES: dict[str, st.SearchStrategy[tuple[str, bytes]]] = {
    "text": named(["report.txt", "report.md", "report.markdown"], text_files),
    "html": named(["page.html", "page.htm", "page.xhtml"], html_files),
    "json": named(["dump.json"], json_files),
    "jsonl": named(["dump.jsonl", "dump.ndjson"], jsonl_files),
    "jsonl.gz": named(["dump.jsonl.gz", "dump.ndjson.gz"], jsonl_gz_files),
    "feed": named(["feed.rss", "feed.atom", "feed.xml"], feed_files),
    "warc": named(["crawl.warc", "crawl.warc.gz"], warc_files),
}


@FUZZ
@given(case=FILES["text"])
@example(case=("report.md", b"---\npublished: 2025-02-30\n---\n" + BODY.encode()))
@example(case=("report.md", b"---\na: &a [x]\nb: *a\n---\n" + BODY.encode()))
@example(case=("report.md", b'---\ntitle: "\\ud800"\n---\n' + BODY.encode()))
def test_text_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


@FUZZ
@given(case=FILES["html"])
def test_html_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


@FUZZ
@given(case=FILES["json"])
@example(case=("dump.json", b'{"text": "x", "published": 1e999}'))
@example(case=("dump.json", b'{"text": "x", "published": NaN}'))
@example(case=("dump.json", b"[" * 5000))
@example(case=("dump.json", b'{"text": "\\ud800 x", "title": "\\udcff"}'))
# Found by this test: reprlib.repr of a nested value ran to hundreds of characters.
@example(
    case=(
        "dump.json",
        json.dumps({"text": BODY, "published": {str(n): [n] * 9 for n in range(9)}}).encode(),
    )
)
def test_json_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


@FUZZ
@given(case=FILES["jsonl"])
def test_jsonl_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


@FUZZ
@given(case=FILES["jsonl.gz"])
@example(case=("dump.jsonl.gz", gzipped(b'{"text": "' + BODY.encode() + b'"}\n' * 3)[:-9]))
def test_jsonl_gz_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


@FUZZ
@given(case=FILES["feed"])
@example(case=("feed.rss", b"/etc/hostname"))
# Found by this test: feedparser raises on a reference to a surrogate or past U+10FFFF.
@example(case=("feed.rss", feed_text("", "", "T", "a &#xD800; b", "", False).encode() + b"\x01"))
@example(case=("feed.rss", feed_text("", "", "T", "a &#99999999999; b", "", False).encode()))
def test_feed_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


NO_TARGET_HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>"
NO_TARGET = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n" % (
    len(NO_TARGET_HTTP),
    NO_TARGET_HTTP,
)


@FUZZ
@given(case=FILES["warc"])
# Found by this test: warcio raises AttributeError on a response without a target URI.
@example(case=("crawl.warc", NO_TARGET))
def test_warc_reader(folder: Path, case: tuple[str, bytes]) -> None:
    read_bytes_as(folder, *case)


# -- the pieces the readers stand on ----------------------------------------------------------


def plain_split(data: bytes, limit: int) -> list[tuple[int, bytes | None]]:
    """What non_blank_lines must give, by the obvious (whole-file) way."""
    lines = [(number, line.lstrip()) for number, line in enumerate(data.split(b"\n"), 1)]
    return [(n, None if len(line) > limit else line) for n, line in lines if line.strip()]


@FUZZ
@given(
    data=st.binary(max_size=120)
    | st.lists(st.sampled_from([b"\n", b" ", b"\r\n", b"{}", b"ab"])).map(b"".join),
    chunk=st.integers(1, 9),
    limit=st.integers(1, 12),
)
def test_line_splitter_agrees_with_a_plain_split_across_chunks(
    data: bytes, chunk: int, limit: int
) -> None:
    """Chunks of a few bytes, so that lines, blank runs and long lines straddle them."""
    data = b"  " + data  # not the gzip magic
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(streams, "CHUNK_BYTES", chunk)
        stream = streams.ExpandedStream(io.BytesIO(data), limit=10**6)
        assert list(streams.non_blank_lines(stream, limit)) == plain_split(data, limit)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


@FUZZ
@given(value=json_values)
def test_json_depth_counts_brackets_outside_strings(value: object) -> None:
    text = json.dumps(value)
    assert json_depth(text, stop=100) == depth_of(value)


# -- the cleaner ----------------------------------------------------------------------------


cleaner_inputs = st.tuples(ODD_TEXT | st.text(max_size=2000), st.none() | ODD_TEXT)


def check_cleaned(case: tuple[str, str | None]) -> None:
    """The body has no NUL and one kind of newline, and every span indexes into it."""
    text, title = case
    cleaned = clean_text(text, title)
    assert "\x00" not in cleaned.text and "\r" not in cleaned.text
    # An empty body keeps the title as given (and the article is refused for want of words).
    assert cleaned.title is None or not cleaned.text or "\x00" not in cleaned.title
    for span in (*cleaned.sentences, *cleaned.headings):
        assert 0 <= span.start <= span.end <= len(cleaned.text)
        assert cleaned.text[span.start : span.end] == span.text
    assert "\x00" not in normalise(text)


@FUZZ
@given(case=cleaner_inputs)
@example(case=(f"{BODY}\x00 hidden", "A\x00B"))
@example(case=("", "\xa0A\x00B"))
def test_cleaner(case: tuple[str, str | None]) -> None:
    check_cleaned(case)


# -- the date resolver ----------------------------------------------------------------------

date_inputs = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=60),
    st.from_regex(r"\A\d{1,5}-\d{1,3}-\d{1,3}(T\d\d:\d\d)?\Z"),
    st.sampled_from(YAML_ODDITIES),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.dates(),
    st.builds(time.gmtime, st.integers(-(2**35), 2**35)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def check_published(value: object) -> None:
    """None or a real day; a declared date is that day or refused; a typed one the same."""
    published = normalise_published(value)
    assert published is None or dt.date.fromisoformat(published)
    try:
        assert declared_published(value) == published
    except RejectedInput as exc:
        assert published is None and "\n" not in exc.reason
    if isinstance(value, str):
        try:
            assert parse_user_date(value) == published
        except UsageError:
            assert published is None


@FUZZ
@given(value=date_inputs)
@example(value=float("nan"))
# Found by this test: Python will not repr() a number of over 4,300 digits.
@example(value=10**5000)
@example(value=True)
@example(value="9" * 5000)
def test_date_resolver(value: object) -> None:
    check_published(value)


time_texts = st.text(max_size=300) | st.from_regex(
    r"\A(on |in )?\d{1,5}[-/. ]\d{1,3}[-/. ]\d{1,5}\Z"
)


def check_time_expressions(text: str) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start <= mention.end <= len(text)
    anchor = parse_anchor(text)
    assert anchor is None or isinstance(anchor, dt.date)


@FUZZ
@given(text=time_texts)
@example(text="on 2025-02-30 and 0000-01-01, in 99999 and the 1990s")
def test_time_expressions_and_anchors(text: str) -> None:
    check_time_expressions(text)


# What benchmarks/fuzz_readers.py runs beside the readers: an input and its property.
CHECKS: dict[str, tuple[st.SearchStrategy[object], Callable[[object], None]]] = {
    "cleaner": (cleaner_inputs, check_cleaned),  # type: ignore[dict-item]
    "dates": (date_inputs, check_published),
    "time expressions": (time_texts, check_time_expressions),  # type: ignore[dict-item]
}
