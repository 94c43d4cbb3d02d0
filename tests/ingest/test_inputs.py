"""Every input kind, and every kind of bad input, on fixtures written here by hand."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import Storyline
from tests.conftest import SEEDS

BODY = (
    "The harbour authority closed the northern pier on Thursday after divers found corrosion "
    "in three of its steel piles. Ferries will use the southern pier until repairs are done, "
    "the authority said. Repairs are expected to take six weeks."
)

HTML_PAGE = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Northern pier closed | Bay Courier</title>
<meta property="og:site_name" content="Bay Courier">
<meta property="og:title" content="Northern pier closed over corrosion">
<meta property="article:published_time" content="2026-04-02T09:00:00Z">
<link rel="canonical" href="https://bay-courier.example/pier-closed">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Northern pier closed over corrosion</h1><p>{BODY}</p>
<p>Engineers will inspect the southern pier next month as a precaution, officials added.</p></article>
<footer><p>Share this article</p><p>© 2026 Bay Courier</p></footer></body></html>"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_article(storyline: Storyline):  # type: ignore[no-untyped-def]
    (summary,) = storyline.articles()
    return storyline.article(summary.id)


def test_plain_text_with_front_matter(storyline: Storyline, tmp_path: Path) -> None:
    path = write(
        tmp_path / "pier.md",
        f"---\ntitle: Pier closed\noutlet: Bay Courier\npublished: 2026-04-02\nurl: https://x.example/p\n---\n{BODY}\n",
    )
    report = storyline.ingest([path])
    assert len(report.added) == 1 and not report.rejected
    article = only_article(storyline)
    assert (article.title, article.outlet, article.published, article.url) == (
        "Pier closed",
        "Bay Courier",
        "2026-04-02",
        "https://x.example/p",
    )
    assert article.text == BODY
    assert article.source == str(path)


def test_cli_defaults_fill_only_missing_metadata(storyline: Storyline, tmp_path: Path) -> None:
    bare = write(tmp_path / "a.txt", BODY)
    dated = write(
        tmp_path / "b.txt", f"---\npublished: 2026-01-05\noutlet: Own\n---\n{BODY} Extra line."
    )
    storyline.ingest([bare, dated], published="2026-04-03", outlet="Given Outlet")
    by_source = {Path(a.source).name: a for a in storyline.articles()}
    assert (by_source["a.txt"].published, by_source["a.txt"].outlet) == (
        "2026-04-03",
        "Given Outlet",
    )
    assert (by_source["b.txt"].published, by_source["b.txt"].outlet) == ("2026-01-05", "Own")


def test_html_page_through_trafilatura(storyline: Storyline, tmp_path: Path) -> None:
    storyline.ingest([write(tmp_path / "pier.html", HTML_PAGE)])
    article = only_article(storyline)
    assert article.outlet == "Bay Courier"
    assert article.published == "2026-04-02"
    assert article.url == "https://bay-courier.example/pier-closed"
    assert article.title is not None and "Northern pier closed" in article.title
    assert "corrosion in three of its steel piles" in article.text
    assert "Share this" not in article.text and "Home" not in article.text


def test_json_lines_one_article_per_object(storyline: Storyline, tmp_path: Path) -> None:
    records = [
        {
            "text": BODY,
            "title": "One",
            "outlet": "Wire A",
            "published": "2026-04-02",
            "url": "https://a.example/1",
        },
        {
            "html": f"<p>{BODY}</p><p>A second paragraph follows here.</p>",
            "title": "Two",
            "url": "https://a.example/2",
        },
    ]
    path = write(tmp_path / "dump.jsonl", "\n".join(json.dumps(r) for r in records) + "\n\n")
    report = storyline.ingest([path])
    assert len(report.added) == 2 and not report.rejected
    titles = sorted(a.title or "" for a in storyline.articles())
    assert titles == ["One", "Two"]
    sources = sorted(a.source for a in storyline.articles())
    assert sources == ["https://a.example/1", "https://a.example/2"]


def test_json_list_document(storyline: Storyline, tmp_path: Path) -> None:
    path = write(
        tmp_path / "dump.json", json.dumps([{"text": BODY}, {"text": BODY + " More news today."}])
    )
    assert len(storyline.ingest([path]).added) == 2


def test_rss_feed_entries_become_articles(storyline: Storyline, tmp_path: Path) -> None:
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bay Courier</title>
<item><title>Pier closed</title><link>https://bay-courier.example/a</link>
<pubDate>Thu, 02 Apr 2026 09:00:00 +0000</pubDate><description><![CDATA[<p>{BODY}</p>]]></description></item>
<item><title>Pier reopens</title><link>https://bay-courier.example/b</link>
<pubDate>Fri, 15 May 2026 09:00:00 +0000</pubDate><description>The northern pier reopened on Friday after six weeks of repairs to its steel piles.</description></item>
</channel></rss>"""
    report = storyline.ingest([write(tmp_path / "feed.rss", feed)])
    assert len(report.added) == 2
    found = {a.title: a for a in storyline.articles()}
    assert found["Pier closed"].published == "2026-04-02"
    assert found["Pier reopens"].published == "2026-05-15"
    assert found["Pier closed"].outlet == "Bay Courier"
    assert found["Pier closed"].source == "https://bay-courier.example/a"


def test_atom_feed_recognised_without_suffix(storyline: Storyline, tmp_path: Path) -> None:
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Harbour Notes</title><id>urn:x</id><updated>2026-04-02T00:00:00Z</updated>
<entry><title>Pier closed</title><id>urn:1</id><link href="https://notes.example/1"/>
<updated>2026-04-02T10:00:00Z</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""
    report = storyline.ingest([write(tmp_path / "harbour-feed", atom)])
    assert len(report.added) == 1
    assert only_article(storyline).published == "2026-04-02"


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2026-04-03T12:00:00Z"},
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_html_responses_become_articles(storyline: Storyline, tmp_path: Path) -> None:
    data = _warc(
        [
            (
                "https://bay-courier.example/pier-closed",
                "text/html; charset=utf-8",
                HTML_PAGE.encode(),
            ),
            (
                "https://bay-courier.example/logo.png",
                "image/png",
                b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
            ),
        ]
    )
    report = storyline.ingest([write(tmp_path / "crawl.warc.gz", data)])
    assert len(report.added) == 1 and not report.rejected
    article = only_article(storyline)
    assert article.source == "https://bay-courier.example/pier-closed"
    assert article.published_before == "2026-04-03"
    assert article.published == "2026-04-02"  # from the page, and not after the capture


def test_folders_are_read_recursively_in_stable_order(storyline: Storyline, tmp_path: Path) -> None:
    write(tmp_path / "in" / "b" / "two.txt", BODY + " Second report.")
    write(tmp_path / "in" / "a" / "one.txt", BODY)
    write(tmp_path / "in" / ".hidden" / "skip.txt", BODY + " Hidden.")
    storyline.ingest([tmp_path / "in"])
    assert [Path(a.source).name for a in storyline.articles()] == ["one.txt", "two.txt"]


BAD_INPUTS = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"   \n\n  ", "empty"),
    "binary.txt": (b"\x00\x01\x02\x03binary\x00" * 40, "binary"),
    "latin1.txt": (
        "Caf\u00e9 au lait for everyone in the harbour today, said the mayor.".encode("latin-1"),
        "UTF-8",
    ),
    "tiny.txt": (b"Too short.", "words"),
    "broken.html": (b"<html><body><div></div></body></html>", "no article text"),
    "broken.json": (b'{"text": "unterminated', "invalid JSON"),
    "notobject.json": (b"[1]", "not a JSON object"),
    "bad-front.md": (
        b"---\ntitle: [unclosed\n---\nSome body text that is long enough to keep.",
        "YAML",
    ),
    "broken.rss": (b"<rss><channel><title>x</title></channel></rss>", "no entries"),
    "broken.warc.gz": (gzip.compress(b"this is not a warc record at all\r\n" * 10), "WARC"),
    "notes.docx": (b"PK\x03\x04 pretend office file", "unsupported"),
    "README.md": (
        (
            b"# Pier coverage\n\nReports on the pier closure, gathered for the desk.\n\n"
            b"| file | what it is |\n| --- | --- |\n| one.txt | the closure report |\n"
            b"| two.txt | the follow-up on the repairs and the ferries |\n\n"
            b"- run `storyline ingest in/` to read them\n- then `storyline events`\n"
        ),
        "notes, not a report",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_with_a_reason_and_the_run_goes_on(
    storyline: Storyline, tmp_path: Path, name: str
) -> None:
    content, reason = BAD_INPUTS[name]
    bad = write(tmp_path / "in" / name, content)
    good = write(tmp_path / "in" / "zz-good.txt", BODY)
    report = storyline.ingest([bad.parent])
    assert len(report.added) == 1, report
    (rejection,) = report.rejected
    assert rejection.source.startswith(str(bad))
    assert reason.lower() in rejection.reason.lower()
    # Kept in the store too, so the user can see it later.
    assert any(r.source == rejection.source for r in storyline.rejections())
    assert Path(storyline.articles()[0].source) == good


def test_a_report_with_headings_and_a_short_list_is_kept(
    storyline: Storyline, tmp_path: Path
) -> None:
    text = (
        f"# Northern pier closed\n\n{BODY}\n\n## What happens next\n\n"
        "Ferry passengers were told to allow extra time for the crossing.\n\n"
        "- Ferries use the southern pier.\n- Repairs take six weeks.\n"
    )
    report = storyline.ingest([write(tmp_path / "pier.md", text)])
    assert len(report.added) == 1 and not report.rejected


def test_a_listicle_report_of_bullets_is_kept(storyline: Storyline, tmp_path: Path) -> None:
    text = (
        "# Five things to know about the pier closure\n\n"
        "The harbour authority shut the northern pier on Thursday.\n\n"
        "- Divers found corrosion in three of the pier's steel piles.\n"
        "- Ferries will use the southern pier until repairs are finished.\n"
        "- Repairs are expected to take six weeks, the authority said.\n"
        "- Fishermen have asked for temporary moorings inside the old dock.\n"
    )
    report = storyline.ingest([write(tmp_path / "five-things.md", text)])
    assert len(report.added) == 1 and not report.rejected


def test_notes_beside_the_seed_reports_are_refused(storyline: Storyline) -> None:
    """The seeds folder holds five reports and the notes on what they should yield."""
    report = storyline.ingest([SEEDS])
    assert len(report.added) == 5
    (rejection,) = report.rejected
    assert Path(rejection.source).name == "EXPECTED.md"
    assert "notes, not a report" in rejection.reason


def test_bad_records_inside_a_dump_do_not_stop_the_good_ones(
    storyline: Storyline, tmp_path: Path
) -> None:
    lines = [
        json.dumps({"text": BODY}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps(["x"]),
        json.dumps({"text": BODY + " And another sentence here."}),
    ]
    report = storyline.ingest([write(tmp_path / "mixed.jsonl", "\n".join(lines))])
    assert len(report.added) == 2
    assert sorted(r.source.rsplit(":", 1)[1] for r in report.rejected) == ["2", "3", "4"]


def test_oversized_document_is_rejected(tmp_path: Path) -> None:
    from storyline import Settings

    with Storyline(Settings(db_path=tmp_path / "s.db", max_document_bytes=200)) as small:
        report = small.ingest(
            [write(tmp_path / "big.txt", BODY * 3), write(tmp_path / "ok.txt", BODY[:190])]
        )
    assert len(report.added) == 1
    assert "limit" in report.rejected[0].reason


def test_feed_with_entity_declarations_is_refused(storyline: Storyline, tmp_path: Path) -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>t</title><item><title>&b;</title><description>&b; &b;</description></item></channel></rss>"""
    external = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>x</title><description>&x;</description></item></channel></rss>"""
    report = storyline.ingest(
        [write(tmp_path / "bomb.rss", bomb), write(tmp_path / "ext.xml", external)]
    )
    assert not report.added
    assert all("unsafe XML" in r.reason for r in report.rejected)
    assert len(report.rejected) == 2


def test_missing_path_is_an_error_not_a_rejection(storyline: Storyline, tmp_path: Path) -> None:
    from storyline import NotFoundError

    with pytest.raises(NotFoundError, match="no such file"):
        storyline.ingest([tmp_path / "nowhere"])
