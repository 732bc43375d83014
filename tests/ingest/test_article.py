from pathlib import Path

import pytest

from qa.errors import ArticleError
from qa.ingest.article import parse, read_article
from qa.ingest.translation import find_articles
from tests.conftest import HEADINGS, LEAD, SEED


def test_seed_has_lead_and_seven_sections() -> None:
    article = read_article(SEED)
    assert article.title == LEAD
    assert [s.heading for s in article.sections] == HEADINGS
    for section in article.sections:
        assert article.text[section.start:section.end] == section.text
        assert article.text[section.heading_start:section.heading_end] == section.heading
    assert article.sections[-1].text.endswith("إناب بلدي.")  # the source line stays in the last section
    assert article.sections[0].text.startswith("في 14 ديسمبر 2025")


def test_bom_crlf_and_diacritics(tmp_path: Path) -> None:
    text = "\ufeffعنوانٌ قصير\r\nفِقرةٌ أولى هنا. وجملة ثانية.\r\nقسم ثانٍ\r\nنص القسم الثاني.\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    article = read_article(path)
    assert article.title == "عنوانٌ قصير"
    assert [s.heading for s in article.sections] == ["عنوانٌ قصير", "قسم ثانٍ"]
    assert "\r" not in article.text and not article.text.startswith("\ufeff")
    assert article.sections[0].text == "فِقرةٌ أولى هنا. وجملة ثانية."


def test_no_headings_gives_one_section_named_after_the_file() -> None:
    article = parse("First paragraph, long enough to be text.\nSecond paragraph here.", article_id="notes")
    assert article.title == "notes"
    assert len(article.sections) == 1
    assert article.sections[0].heading == "notes"


def test_only_headings_are_content() -> None:
    article = parse("one\ntwo\nthree", article_id="list")
    assert len(article.sections) == 1
    assert article.sections[0].text == "one\ntwo\nthree"


def test_markdown_headings(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text(
        "# The Title\n\nLead paragraph.\n\n## Part one\n\nBody one. More.\n\n## Part two\nBody two.\n"
    )
    article = read_article(path)
    assert article.title == "The Title"
    assert [s.heading for s in article.sections] == ["The Title", "Part one", "Part two"]
    assert article.sections[1].text == "Body one. More."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("نص عربي".encode("cp1256"), "not UTF-8"),
        (b"... --- !!!", "no words"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as err:
        read_article(path)
    assert problem in str(err.value) and str(path) in str(err.value)


def test_too_large_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("كلمة " * 100)
    with pytest.raises(ArticleError, match="over the 50-byte limit"):
        read_article(path, max_bytes=50)
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "nope.txt")


def test_find_articles_expands_folders(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("y")
    (tmp_path / "c.pdf").write_text("z")
    assert [p.name for p in find_articles([tmp_path])] == ["a.txt", "b.md"]
