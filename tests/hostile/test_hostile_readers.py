"""Nothing a file sends can break a store: each hostile input, written here by hand beside a
good report, is refused with a reason the user reads, and the good report is stored.

Bombs run through the reader alone, timed and with Python's allocations traced, so that a
regression fails the test instead of taking the machine.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import Article, IngestReport, RawDocument, Rejection, Settings, Storyline
from storyline.ingest import READERS, read_inputs

BODY = (
    "The harbour authority closed the northern pier on Thursday after divers found corrosion "
    "in three of its steel piles. Ferries will use the southern pier until repairs are done, "
    "the authority said."
)
MB = 1024 * 1024


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def folder_with_good_report(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write(folder / "good.txt", f"---\ntitle: Pier closed\n---\n{BODY}\n")
    return folder


def ingest(folder: Path) -> tuple[IngestReport, list[Article]]:
    """Store what the folder holds (no analysis); the report, and the articles stored."""
    with Storyline(Settings(db_path=folder.parent / "store.db")) as storyline:
        report = storyline.ingest([folder], analyse=False)
        articles = [storyline.article(summary.id) for summary in storyline.articles()]
        assert {r.source for r in storyline.rejections()} >= {r.source for r in report.rejected}
    return report, articles


def assert_good_kept(articles: list[Article]) -> None:
    assert "good.txt" in {Path(a.source).name for a in articles}


def rejection_of(report: IngestReport, source_part: str) -> Rejection:
    (rejection,) = [r for r in report.rejected if source_part in r.source]
    assert rejection.reason and "\n" not in rejection.reason
    return rejection


def read_all(path: Path, settings: Settings | None = None) -> list[RawDocument | Rejection]:
    return list(read_inputs([path], settings or Settings()))


def traced(run: Callable[[], object]) -> tuple[object, float, float]:
    """What `run` returns, its wall time in seconds and its peak traced allocation in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def gzip_file(path: Path, chunk: bytes, total: int) -> Path:
    """`total` bytes of `chunk` repeated, gzipped a chunk at a time (never whole in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=9) as handle:
        for _ in range(total // len(chunk)):
            handle.write(chunk)
    return path


# -- 1. values that crashed the run --------------------------------------------------------

UNUSABLE_FRONT_MATTER_DATES = [
    "2025-02-30",
    "0000-01-01",
    ".inf",
    "NaN",
    "1e999",
    "1e20",
    "9" * 5000,
    "99999999999999999",
]


@pytest.mark.parametrize("value", UNUSABLE_FRONT_MATTER_DATES, ids=lambda v: v[:20])
def test_an_unusable_front_matter_date_is_refused_with_the_value_named(
    tmp_path: Path, value: str
) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "bad.md", f"---\ntitle: Pier\npublished: {value}\n---\n{BODY} Bad date.\n")
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert len(articles) == 1
    reason = rejection_of(report, "bad.md").reason
    assert "publication date" in reason and value[:10] in reason and len(reason) < 200


@pytest.mark.parametrize(
    "value", ["1e999", "NaN", "-Infinity", "99999999999999999", "true", "[2026]", '"2025-02-30"']
)
def test_an_unusable_record_date_is_refused_and_the_dump_goes_on(
    tmp_path: Path, value: str
) -> None:
    folder = folder_with_good_report(tmp_path)
    good_record = json.dumps({"text": BODY + " From the dump.", "published": "2026-04-02"})
    write(folder / "dump.jsonl", f'{{"text": "{BODY}", "published": {value}}}\n{good_record}\n')
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert [a.published for a in articles if a.source.endswith("dump.jsonl:2")] == ["2026-04-02"]
    assert "publication date" in rejection_of(report, "dump.jsonl:1").reason


def test_a_number_of_5000_digits_in_a_record_is_refused(tmp_path: Path) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "big.json", f'{{"text": "{BODY}", "views": {"9" * 5000}}}')
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert "5,000 digits" in rejection_of(report, "big.json").reason


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_json_nested_100000_deep_is_refused(tmp_path: Path, name: str) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / name, "[" * 100_000 + "]" * 100_000)
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert "nested over 100 levels" in rejection_of(report, name).reason


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"text": BODY + " [[[{{{" * 200}))
    (document,) = read_all(path)
    assert isinstance(document, RawDocument)


def test_a_file_name_that_is_not_utf8_is_refused_and_named_with_its_bytes_escaped(
    tmp_path: Path,
) -> None:
    folder = folder_with_good_report(tmp_path)
    write(Path(os.fsdecode(os.fsencode(folder) + b"/bad\xffname.txt")), BODY + " Odd name.")
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert len(articles) == 1
    assert "not valid UTF-8" in rejection_of(report, "bad\\xffname.txt").reason


@pytest.mark.parametrize(
    "error",
    [
        RecursionError("maximum recursion depth exceeded"),
        MemoryError(),
        ValueError("day is out of range for month\nsecond line"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        OverflowError("timestamp out of range for platform time_t"),
        KeyError("published"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_any_error_of_one_reader_is_a_rejection_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def reader_that_fails(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
        yield RawDocument(source=f"{path}#0", text=BODY)
        raise error

    monkeypatch.setitem(READERS, ".boom", reader_that_fails)
    folder = folder_with_good_report(tmp_path)
    write(folder / "a.boom", "anything")
    found = read_all(folder)
    assert [type(item).__name__ for item in found] == ["RawDocument", "Rejection", "RawDocument"]
    rejection = found[1]
    assert isinstance(rejection, Rejection) and rejection.source.endswith("a.boom")
    assert type(error).__name__ in rejection.reason and "\n" not in rejection.reason


def test_lone_surrogates_from_json_escapes_are_stored_as_replacement_characters(
    tmp_path: Path,
) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "odd.json", json.dumps({"text": BODY + " \ud800 end.", "title": "T \udcff"}))
    report, articles = ingest(folder)
    assert not report.rejected
    (odd,) = [a for a in articles if a.source.endswith("odd.json")]
    assert "\ufffd" in odd.text and odd.title == "T \ufffd"


# -- 2. a 3 KB file that takes the machine ------------------------------------------------


def yaml_alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + f"\ntitle: *a{levels - 1}\n"


def test_a_yaml_alias_bomb_is_refused_at_once_in_little_memory(tmp_path: Path) -> None:
    """10^8 strings when expanded (the title alone printed to gigabytes before)."""
    folder = folder_with_good_report(tmp_path)
    bomb = write(folder / "bomb.md", f"---\n{yaml_alias_bomb(8)}---\n{BODY}\n")
    assert bomb.stat().st_size < 3000
    found, seconds, peak_mb = traced(lambda: read_all(bomb))
    assert isinstance(found, list) and len(found) == 1 and isinstance(found[0], Rejection)
    assert "alias" in found[0].reason
    assert seconds < 5 and peak_mb < 50
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert "alias" in rejection_of(report, "bomb.md").reason


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("title: " + "[" * 5000 + "]" * 5000, "nests over"),
        ("title: x\n" + "note: " + "y" * 70_000, "over 65,536 characters"),
    ],
    ids=["deep", "long"],
)
def test_front_matter_deeper_or_longer_than_a_few_lines_is_refused(
    tmp_path: Path, front_matter: str, reason: str
) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "odd.md", f"---\n{front_matter}\n---\n{BODY}\n")
    report, articles = ingest(folder)
    assert_good_kept(articles)
    assert reason in rejection_of(report, "odd.md").reason


# -- 3. dumps stream, within limits ---------------------------------------------------------


def test_gzip_of_newlines_is_refused_quickly(tmp_path: Path) -> None:
    """100 MB of newlines in 100 KB of gzip: refused at 100 times the file's size."""
    bomb = gzip_file(tmp_path / "in" / "newlines.jsonl.gz", b"\n" * MB, 100 * MB)
    found, seconds, peak_mb = traced(lambda: read_all(bomb))
    assert isinstance(found, list) and len(found) == 1
    assert isinstance(found[0], Rejection) and "decompression bomb" in found[0].reason
    assert seconds < 5 and peak_mb < 50


def test_gzip_of_one_endless_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    bomb = gzip_file(tmp_path / "in" / "line.jsonl.gz", b"a" * MB, 100 * MB)
    found, seconds, peak_mb = traced(lambda: read_all(bomb))
    assert isinstance(found, list) and len(found) == 1
    assert isinstance(found[0], Rejection) and "decompression bomb" in found[0].reason
    assert seconds < 5 and peak_mb < 50


def test_a_line_over_the_limit_is_skipped_to_its_end_without_being_held(tmp_path: Path) -> None:
    records = [json.dumps({"text": BODY}), "x" * (8 * MB), json.dumps({"text": BODY + " Two."})]
    dump = write(tmp_path / "in" / "dump.jsonl", "\n".join(records))
    found, _, peak_mb = traced(lambda: read_all(dump, Settings(max_document_bytes=10_000)))
    assert isinstance(found, list)
    assert [type(item).__name__ for item in found] == ["RawDocument", "Rejection", "RawDocument"]
    assert found[1].source.endswith("dump.jsonl:2") and "limit" in found[1].reason
    assert found[2].source.endswith("dump.jsonl:3")
    assert peak_mb < 5


def test_blank_lines_cost_a_scan_and_keep_their_count(tmp_path: Path) -> None:
    dump = tmp_path / "in" / "sparse.jsonl"
    dump.parent.mkdir(parents=True)
    with dump.open("wb") as handle:
        handle.write(json.dumps({"text": BODY}).encode() + b"\n")
        for _ in range(40):
            handle.write(b"\n  \r\n" * (MB // 4))
        handle.write(json.dumps({"text": BODY + " Last."}).encode() + b"\n")
    found, seconds, _ = traced(lambda: read_all(dump))
    assert isinstance(found, list)
    assert [item.source.rsplit(":", 1)[1] for item in found] == ["1", str(2 + 40 * MB // 2)]
    assert seconds < 5


def test_a_cut_gzip_dump_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [
        json.dumps({"text": f"{BODY} {' '.join(str(rng.random()) for _ in range(400))}"})
        for _ in range(20)
    ]
    whole = gzip.compress("\n".join(lines).encode())
    dump = write(tmp_path / "in" / "cut.jsonl.gz", whole[: len(whole) * 3 // 4])
    found = read_all(dump)
    kept = [item for item in found if isinstance(item, RawDocument)]
    assert 5 < len(kept) < 20
    assert isinstance(found[-1], Rejection) and "cut short" in found[-1].reason


# -- 4. quietly wrong -----------------------------------------------------------------------


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = folder_with_good_report(tmp_path)
    secret = write(tmp_path / "elsewhere" / "secret.txt", BODY + " Private notes here.")
    write(tmp_path / "elsewhere" / "more" / "other.txt", BODY + " More private notes.")
    os.symlink(secret, folder / "link.txt")
    os.symlink(tmp_path / "elsewhere" / "more", folder / "linked-folder")
    os.symlink(tmp_path / "nowhere.txt", folder / "broken.txt")
    os.symlink(folder / "good.txt", folder / "inside.txt")
    report, articles = ingest(folder)
    assert [Path(a.source).name for a in articles] == ["good.txt"]
    assert "outside the folder" in rejection_of(report, "link.txt").reason
    assert "outside the folder" in rejection_of(report, "linked-folder").reason
    assert "broken symbolic link" in rejection_of(report, "broken.txt").reason
    assert report.skipped  # the link inside the folder is read, and is the good report


def test_a_symlink_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    """The user named it: following it leaves no folder they gave."""
    target = write(tmp_path / "elsewhere" / "report.txt", BODY)
    os.symlink(target, tmp_path / "link.txt")
    (document,) = read_all(tmp_path / "link.txt")
    assert isinstance(document, RawDocument)


def test_a_feed_whose_text_is_a_file_name_does_not_read_that_file(tmp_path: Path) -> None:
    """feedparser opens bytes that name a file; the feed must be read as what it holds."""
    elsewhere = write(
        tmp_path / "elsewhere" / "private.rss",
        f"<rss><channel><title>P</title><item><title>Secret</title><description>{BODY}"
        "</description></item></channel></rss>",
    )
    folder = folder_with_good_report(tmp_path)
    write(folder / "pointer.rss", str(elsewhere))
    report, articles = ingest(folder)
    assert [Path(a.source).name for a in articles] == ["good.txt"]
    assert "not a readable RSS/Atom feed" in rejection_of(report, "pointer.rss").reason


def warc_bytes(records: list[tuple[str, str, bytes]], compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, content_type, body in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
        )
    return buffer.getvalue()


def page(words: str) -> bytes:
    return f"<html><body><article><p>{BODY} {words}</p></article></body></html>".encode()


def long_page() -> bytes:
    rng = random.Random(3)
    return page(
        " ".join(rng.choice(["pier", "ferry", "crane", "tide", "dock"]) for _ in range(5000))
    )


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_a_cut_warc_keeps_the_whole_pages_and_refuses_the_cut_one(
    tmp_path: Path, compress: bool
) -> None:
    whole = warc_bytes(
        [
            ("https://x.example/1", "text/html", page("First.")),
            ("https://x.example/2", "text/html", long_page()),
        ],
        compress,
    )
    folder = folder_with_good_report(tmp_path)
    name = "cut.warc.gz" if compress else "cut.warc"
    write(folder / name, whole[: len(whole) - 2000])
    report, articles = ingest(folder)
    assert sorted(a.source for a in articles if a.source.startswith("https")) == [
        "https://x.example/1"
    ]
    assert "cut short" in rejection_of(report, "x.example/2").reason
    assert_good_kept(articles)


@pytest.mark.parametrize("charset", ["idna", "undefined"])
def test_a_record_with_a_bogus_charset_does_not_cost_the_archive(
    tmp_path: Path, charset: str
) -> None:
    folder = folder_with_good_report(tmp_path)
    write(
        folder / "crawl.warc.gz",
        warc_bytes(
            [
                ("https://x.example/1", "text/html", page("First.")),
                ("https://x.example/2", f"text/html; charset={charset}", page("Second \\ud800.")),
                ("https://x.example/3", "text/html; charset=utf-8", page("Third.")),
            ]
        ),
    )
    report, articles = ingest(folder)
    assert not report.rejected
    assert sorted(a.source for a in articles if a.source.startswith("https")) == [
        f"https://x.example/{n}" for n in (1, 2, 3)
    ]


def test_a_warc_header_line_without_end_is_refused_without_being_held(tmp_path: Path) -> None:
    bomb = gzip_file(tmp_path / "in" / "line.warc.gz", b"W" * MB, 30 * MB)
    found, seconds, peak_mb = traced(lambda: read_all(bomb))
    assert isinstance(found, list) and len(found) == 1
    assert isinstance(found[0], Rejection) and "header line" in found[0].reason
    assert seconds < 5 and peak_mb < 50


def test_blank_lines_after_a_warc_record_are_refused_quickly(tmp_path: Path) -> None:
    """warcio reads the blank lines between records one call at a time."""
    bomb = tmp_path / "in" / "blank.warc.gz"
    bomb.parent.mkdir(parents=True)
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(warc_bytes([("https://x.example/1", "text/html", page("First."))], False))
        for _ in range(20):
            handle.write(b"\r\n" * (MB // 2))
    found, seconds, _ = traced(lambda: read_all(bomb))
    assert isinstance(found, list) and [type(item) for item in found] == [RawDocument, Rejection]
    assert "blank lines" in found[1].reason
    assert seconds < 5


@pytest.mark.parametrize("suffix", [".txt", ".html", ".json"])
def test_a_nul_byte_past_the_first_8_kb_is_refused_like_one_before(
    tmp_path: Path, suffix: str
) -> None:
    folder = folder_with_good_report(tmp_path)
    padding = (BODY + "\n") * 60  # past 8 KB
    content = {
        ".txt": f"{padding}\x00 hidden",
        ".html": f"<html><body><p>{padding}</p><p>\x00 hidden</p></body></html>",
        ".json": json.dumps({"text": padding}) + "\x00",
    }[suffix]
    write(folder / f"nul{suffix}", content)
    report, articles = ingest(folder)
    assert [Path(a.source).name for a in articles] == ["good.txt"]
    assert "binary" in rejection_of(report, f"nul{suffix}").reason


def test_an_escaped_nul_in_a_record_is_dropped_from_the_text(tmp_path: Path) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "nul.json", json.dumps({"text": BODY + " Hid\u0000den.", "title": "A\u0000B"}))
    report, articles = ingest(folder)
    assert not report.rejected
    (article,) = [a for a in articles if a.source.endswith("nul.json")]
    assert "\x00" not in article.text and "Hidden." in article.text
    assert article.title == "AB"


def feed(encoding: str, doctype: str = "", body: str = BODY) -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>{doctype}<rss version="2.0"><channel>'
        f"<title>Feed</title><item><title>Item</title><link>https://f.example/1</link>"
        f"<description>{body}</description></item></channel></rss>"
    ).encode("gbk" if encoding == "gbk" else "utf-8")


def test_a_feed_declaring_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    folder = folder_with_good_report(tmp_path)
    write(folder / "feed.rss", feed("bogus-enc"))
    report, articles = ingest(folder)
    assert [Path(a.source).name for a in articles] == ["good.txt"]
    assert "unknown encoding 'bogus-enc'" in rejection_of(report, "feed.rss").reason


@pytest.mark.parametrize("encoding", ["bogus-enc", "gbk"])
def test_an_entity_bomb_cannot_pass_the_screen_behind_its_encoding(
    tmp_path: Path, encoding: str
) -> None:
    doctype = '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    folder = folder_with_good_report(tmp_path)
    write(folder / "bomb.rss", feed(encoding, doctype, body=f"{BODY} &b;"))
    report, articles = ingest(folder)
    assert [Path(a.source).name for a in articles] == ["good.txt"]
    reason = rejection_of(report, "bomb.rss").reason
    assert "unsafe XML" in reason or "unknown encoding" in reason


def test_a_feed_in_an_encoding_the_xml_parser_lacks_is_still_read(tmp_path: Path) -> None:
    path = write(tmp_path / "gbk.rss", feed("gbk", body=f"{BODY} 港口当局关闭了北码头。"))
    (document,) = read_all(path)
    assert isinstance(document, RawDocument) and "港口当局" in (document.html or "")
