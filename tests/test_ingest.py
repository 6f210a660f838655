"""Readers: every input format in, documents out; bad input gives one clean error."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.ingest import ReadError, read_inputs
from wiredesk.ingest.readers import READERS, headline
from wiredesk.records import Document, document_id

REPORT = (
    "Mortar rounds hit army post near Kidal\n\n"
    "At least three mortar rounds struck an army post outside Kidal on Tuesday night, "
    "a local official said. Nobody was hurt.\n"
)


def read_all(*paths: Path | str, published: date | None = None) -> list[Document | ReadError]:
    return list(read_inputs([str(p) for p in paths], published))


def only_documents(items: list[Document | ReadError]) -> list[Document]:
    assert all(isinstance(i, Document) for i in items), items
    return [i for i in items if isinstance(i, Document)]


def test_plain_text_keeps_the_headline_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    (doc,) = only_documents(read_all(path, published=date(2024, 3, 6)))
    assert doc.title == "Mortar rounds hit army post near Kidal"
    assert doc.text == REPORT
    assert doc.published == date(2024, 3, 6)
    assert doc.id == document_id(REPORT)


def test_document_id_ignores_spacing_but_not_words() -> None:
    assert document_id("Rockets  hit\nthe base.") == document_id("Rockets hit the base. ")
    assert document_id("Rockets hit the base.") != document_id("Rockets hit the camp.")


def test_a_first_line_that_is_a_sentence_is_no_headline() -> None:
    assert headline("Gunmen killed two farmers on Monday, police said.\nMore text.") is None
    assert headline("Only one line") is None
    assert (
        headline("Drone downed over Diyala\n\nThe drone was shot down.")
        == "Drone downed over Diyala"
    )


def test_html_main_text_title_date_and_site(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        """<html><head><title>Drone strike hits depot | Gulf Dispatch</title>
        <meta property="og:site_name" content="Gulf Dispatch">
        <meta property="og:title" content="Drone strike hits depot">
        <meta property="article:published_time" content="2024-02-11T08:00:00Z"></head>
        <body><nav>Home | World | Sport</nav><article><h1>Drone strike hits depot</h1>
        <p>A drone struck a fuel depot on the edge of the city early on Sunday, setting off a
        fire that burned for hours, the provincial governor told reporters.</p>
        <p>No casualties were reported, and the governor said the fire was under control by
        mid-morning after crews worked through the night.</p></article>
        <footer>Copyright Gulf Dispatch</footer></body></html>""",
        encoding="utf-8",
    )
    (doc,) = only_documents(read_all(page))
    assert doc.title == "Drone strike hits depot"
    assert doc.outlet == "Gulf Dispatch"
    assert doc.published == date(2024, 2, 11)
    assert "A drone struck a fuel depot" in doc.text
    assert "Copyright" not in doc.text and "Home | World" not in doc.text


def test_jsonl_fields_and_published_precedence(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    rows = [
        {
            "id": "a1",
            "text": "Clashes broke out in the market.",
            "outlet": "Sahel Observer",
            "published": "2024-05-02",
            "url": "https://example.test/a1",
            "title": "Clashes",
        },
        {"text": "Police arrested twelve people after the rally."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = only_documents(read_all(path, published=date(2024, 6, 1)))
    assert (first.id, first.outlet, first.url, first.title) == (
        "a1",
        "Sahel Observer",
        "https://example.test/a1",
        "Clashes",
    )
    assert first.published == date(2024, 5, 2)  # its own date wins
    assert second.published == date(2024, 6, 1)  # the flag fills the gap
    assert second.id == document_id(rows[1]["text"])


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Horn Herald</title><link>https://example.test</link>
<item><title>Car bomb in Mogadishu</title><link>https://example.test/1</link>
<pubDate>Sat, 29 Oct 2022 16:00:00 GMT</pubDate>
<description>&lt;p&gt;Two car bombs exploded near a busy junction.&lt;/p&gt;</description></item>
<item><title>Port reopens</title><link>https://example.test/2</link>
<pubDate>Sun, 30 Oct 2022 09:00:00 GMT</pubDate><description>The port reopened.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Levant Daily Monitor</title>
<entry><title>Shelling in the north</title><link href="https://example.test/s"/>
<updated>2024-07-08T10:00:00Z</updated>
<content type="html">&lt;p&gt;Artillery shells fell on the village.&lt;/p&gt;</content></entry>
</feed>"""


@pytest.mark.parametrize(("name", "feed", "count"), [("news.rss", RSS, 2), ("news.atom", ATOM, 1)])
def test_feeds_give_one_document_per_item(tmp_path: Path, name: str, feed: str, count: int) -> None:
    path = tmp_path / name
    path.write_text(feed, encoding="utf-8")
    docs = only_documents(read_all(path))
    assert len(docs) == count
    assert docs[0].outlet in ("Horn Herald", "Levant Daily Monitor")
    assert docs[0].url is not None and docs[0].url.startswith("https://example.test/")
    assert docs[0].published in (date(2022, 10, 29), date(2024, 7, 8))
    assert "<p>" not in docs[0].text
    assert docs[0].title is not None and docs[0].text.startswith(docs[0].title)


def test_telegram_export_each_text_message_is_a_document(tmp_path: Path) -> None:
    export = {
        "name": "Frontline Channel",
        "type": "public_channel",
        "messages": [
            {"id": 1, "type": "service", "date": "2024-01-19T10:00:00", "text": ""},
            {
                "id": 2,
                "type": "message",
                "date": "2024-01-20T18:30:00",
                "text": ["Rockets hit ", {"type": "bold", "text": "the airbase"}, " tonight."],
            },
            {"id": 3, "type": "message", "date": "2024-01-20T19:00:00", "text": ""},
            {"id": 4, "type": "message", "date": "2024-01-21T07:00:00", "text": "A quiet night."},
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    docs = only_documents(read_all(path))
    assert [d.text for d in docs] == ["Rockets hit the airbase tonight.", "A quiet night."]
    assert {d.outlet for d in docs} == {"Frontline Channel"}
    assert docs[0].published == date(2024, 1, 20)
    assert docs[0].origin is not None and docs[0].origin.endswith("#2")


def test_directories_are_read_recursively_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Rockets hit the base.\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(json.dumps({"text": "A protest."}) + "\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    docs = only_documents(read_all(tmp_path))
    assert sorted(d.text.strip() for d in docs) == ["A protest.", "Rockets hit the base."]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\t\n", "empty input"),
        ("binary.txt", b"\x00\x01\x02rockets\x00", "binary file"),
        ("latin1.txt", "Les roquettes ont touché la base".encode("latin-1"), "not UTF-8"),
        ("broken.jsonl", b'{"text": "ok"}\n{"text": \n', "malformed JSON"),
        ("notext.jsonl", b'{"title": "no text field"}\n', "string 'text'"),
        ("broken.json", b'{"messages": [', "malformed JSON"),
        ("list.json", b"[1, 2, 3]", "not a Telegram export"),
        ("nothing.rss", b"<rss><channel><title>x</title></channel></rss>", "no items"),
        ("page.html", b"<html><body><div></div></body></html>", "no readable main text"),
    ],
)
def test_bad_inputs_give_one_line_naming_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    items = read_all(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1, items
    message = str(errors[0])
    assert message.startswith(str(path)) and reason in message
    assert "\n" not in message


def test_a_bad_line_keeps_the_documents_before_it(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "first"}\nnot json\n{"text": "third"}\n', encoding="utf-8")
    items = read_all(path)
    assert isinstance(items[0], Document) and items[0].text == "first"
    assert isinstance(items[1], ReadError) and ":2:" in str(items[1])


def test_missing_unreadable_and_oversized_paths(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Police arrested five men.\n", encoding="utf-8")
    items = list(read_inputs([str(tmp_path / "missing.txt"), str(big), str(good)], max_bytes=1000))
    assert "no such file" in str(items[0])
    assert "too large" in str(items[1])
    assert isinstance(items[2], Document)


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (item,) = read_all(tmp_path / "empty")
    assert isinstance(item, ReadError) and "no readable files" in str(item)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(sorted(READERS)))
def test_every_reader_gives_documents_or_a_clean_error_for_any_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    for item in read_inputs([str(path)]):
        assert isinstance(item, (Document, ReadError))
        if isinstance(item, ReadError):
            assert "\n" not in str(item)
        else:
            assert item.text.strip()


structured = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "text",
                    "messages",
                    "chats",
                    "list",
                    "date",
                    "type",
                    "id",
                    "name",
                    "published",
                    "title",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(value=structured, suffix=st.sampled_from([".json", ".jsonl"]))
def test_malformed_json_structures_give_documents_or_a_clean_error(
    tmp_path_factory: pytest.TempPathFactory, value: object, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("json") / f"input{suffix}"
    path.write_text(json.dumps(value), encoding="utf-8")
    for item in read_inputs([str(path)]):
        assert isinstance(item, (Document, ReadError))
