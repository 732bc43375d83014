"""Translations beside an article (qa.ingest.translation): found by name, read with their article,
checked against it, and refused with an ArticleError naming both files, the index untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import ArticleError, Assistant, Settings
from qa.ingest.translation import find_articles, original_of, read_with_translations, translations_of
from tests.conftest import EN_HEADINGS, SEED, SEED_EN

ARTICLE = "# Title\n\n## One\nالجملة الأولى. الجملة الثانية.\n\n## Two\nالجملة الثالثة.\n"
TRANSLATION = "# Title\n\n## One\nThe first sentence. The second sentence.\n\n## Two\nThe third sentence.\n"


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


@pytest.mark.parametrize(("files", "articles", "translations"), [
    (["a.md", "a.en.md"], ["a.md"], {"a.md": {"en": "a.en.md"}}),
    (["a.ar.txt", "a.en.txt"], ["a.ar.txt"], {"a.ar.txt": {"en": "a.en.txt"}}),  # the seed's naming
    (["a.txt", "a.en.md", "a.fr.txt"], ["a.txt"], {"a.txt": {"en": "a.en.md", "fr": "a.fr.txt"}}),
    (["a.ar.txt"], ["a.ar.txt"], {"a.ar.txt": {}}),  # an original with its own code, alone
    (["report.v2.txt"], ["report.v2.txt"], {"report.v2.txt": {}}),  # not a language code
])
def test_translations_are_found_by_name(tmp_path: Path, files: list[str], articles: list[str],
                                        translations: dict[str, dict[str, str]]) -> None:
    write(tmp_path, dict.fromkeys(files, "x"))
    assert [p.name for p in find_articles([tmp_path])] == articles
    for article, found in translations.items():
        assert {lang: p.name for lang, p in translations_of(tmp_path / article).items()} == found


def test_a_translation_named_on_the_command_line_stands_for_its_article(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": "x", "a.en.md": "x"})
    assert find_articles([tmp_path / "a.en.md", tmp_path / "a.md"]) == [tmp_path / "a.md"]
    assert original_of(tmp_path / "a.en.md") == tmp_path / "a.md"


def test_the_seed_reads_with_its_english_translation() -> None:
    article = read_with_translations(SEED, max_bytes=5_000_000)
    english = article.translation("en")
    assert english is not None and english.path == str(SEED_EN)
    assert [s.heading for s in english.sections] == EN_HEADINGS
    assert len(english.sections) == len(article.sections) and english.title == EN_HEADINGS[0]
    assert "Marco Rubio" in english.sections[0].text


@pytest.fixture
def indexed(tmp_path: Path, use_m3) -> tuple[Assistant, Path]:
    folder = write(tmp_path / "articles", {"a.md": ARTICLE})
    assistant = Assistant(Settings(index_dir=tmp_path / "idx", articles=[folder]), embeddings=use_m3)
    assistant.ingest()
    return assistant, folder


@pytest.mark.parametrize(("translation", "problem"), [
    ("# Title\n\n## One\nThe first sentence.\n", "the translation has 1 sections and its article"),
    ("# Title\n\n## One\n\n## Two\nThe third sentence.\n", "section 1 («One») of the translation"),
    ("# Title\n\n## One\nThe first.\n\n## Two\nThe third.\n\n## Three\nMore.\n", "has 3 sections"),
    (b"# Title\n\n## One\nThe \xff first.\n\n## Two\nThe third.\n", "not UTF-8"),
])
def test_a_translation_that_does_not_fit_is_refused_and_the_index_is_kept(
        indexed: tuple[Assistant, Path], translation: str | bytes, problem: str) -> None:
    assistant, folder = indexed
    before = assistant.store.manifest()
    write(folder, {"a.en.md": translation})
    with pytest.raises(ArticleError) as caught:
        assistant.ingest()
    message = str(caught.value)
    assert problem in message and "a.en.md" in message and "a.md" in message  # both files named
    assert assistant.store.manifest() == before
    reader = Assistant(Settings(index_dir=assistant.settings.index_dir), embeddings=assistant.embeddings)
    assert reader.ask("ما الجملة الثالثة؟").citations  # the index in use still answers


def test_a_translation_whose_article_is_missing_is_refused(indexed: tuple[Assistant, Path]) -> None:
    assistant, folder = indexed
    before = assistant.store.manifest()
    write(folder, {"b.en.md": TRANSLATION})
    with pytest.raises(
        ArticleError, match=r"b\.en\.md: its name makes it the 'en' translation of b\.txt or b\.md"
    ):
        assistant.ingest()
    assert assistant.store.manifest() == before


def test_reingest_notices_a_translation_added_changed_or_removed(indexed: tuple[Assistant, Path]) -> None:
    assistant, folder = indexed
    assert assistant.ingest().unchanged
    write(folder, {"a.en.md": TRANSLATION})
    assert not assistant.ingest().unchanged  # added
    assert assistant.ingest().unchanged
    assert assistant.ask("What is the third sentence?").citations[0].translation == "The third sentence."
    write(folder, {"a.en.md": TRANSLATION.replace("third", "last")})
    assert not assistant.ingest().unchanged  # changed
    assert assistant.ask("What is the last sentence?").citations[0].translation == "The last sentence."
    (folder / "a.en.md").unlink()
    assert not assistant.ingest().unchanged  # removed
    assert assistant.ask("What is the third sentence?").citations[0].translation is None


def test_the_english_translation_is_never_an_article_of_its_own(tmp_path: Path, use_m3) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    shutil.copy(SEED_EN, tmp_path / SEED_EN.name)
    assistant = Assistant(Settings(index_dir=tmp_path / "idx", articles=[tmp_path]), embeddings=use_m3)
    report = assistant.ingest()
    assert report.articles == 1
    passages = assistant.retrieve("What did Rubio and al-Shaibani discuss?", k=20)
    assert {p.article_id for p in passages} == {SEED.stem}
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in p.text) for p in passages)
