"""`qa ingest DIR`: a folder of .txt and .md articles becomes one index, and answers name both the
article's title and the section heading."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HEADINGS, LEAD, SEED

FESTIVAL_TITLE = "مهرجان التمور في بريدة"
FESTIVAL_DATES = "موعد المهرجان ومكانه"
FESTIVAL = f"""# {FESTIVAL_TITLE}

تستعد مدينة بريدة لاستضافة مهرجان التمور السنوي بمشاركة مئات المزارعين من مختلف المناطق.

## {FESTIVAL_DATES}

يبدأ مهرجان التمور في الخامس من أغسطس ويستمر ثلاثة أسابيع في ساحة السوق المركزي بمدينة بريدة.

## أصناف التمور المعروضة

يعرض المزارعون أصناف السكري والخلاص والبرحي، ويبلغ سعر صندوق السكري الفاخر مئة وعشرين ريالاً.
"""


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """The seed (.txt) at the top, a Markdown article in a subfolder, and files that are not articles."""
    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    (folder / "more" / "festival.md").write_text(FESTIVAL, encoding="utf-8")
    (folder / "notes.json").write_text('{"not": "an article"}', encoding="utf-8")
    (folder / "README").write_text("no suffix, not an article\n", encoding="utf-8")
    return folder


def test_a_folder_is_indexed_and_citations_name_article_and_section(articles_dir: Path, tmp_path: Path,
                                                                     use_m3) -> None:
    from qa import Assistant, Settings

    assistant = Assistant(Settings(index_dir=tmp_path / "index", articles=[articles_dir]), embeddings=use_m3)
    report = assistant.ingest()
    assert report.articles == 2 and report.chunks > 18 and not report.unchanged

    festival = assistant.ask("متى يبدأ مهرجان التمور في بريدة؟")
    assert not festival.abstained
    first = festival.citations[0]
    assert (first.article, first.section) == (FESTIVAL_TITLE, FESTIVAL_DATES)
    assert "أغسطس" in first.quote

    call = assistant.ask("من اتصل بمن ومتى؟")
    assert not call.abstained
    assert (call.citations[0].article, call.citations[0].section) == (LEAD, LEAD)
    assert all(c.article in (LEAD, FESTIVAL_TITLE) for c in festival.citations + call.citations)

    passages = assistant.retrieve("أصناف التمور وسعر صندوق السكري", k=3)
    assert passages[0].article == FESTIVAL_TITLE and passages[0].section == "أصناف التمور المعروضة"
    assert {p.article for p in assistant.retrieve("هجوم تدمر", k=3)} == {LEAD}


def test_reingesting_a_folder_embeds_only_what_is_new(articles_dir: Path, tmp_path: Path, use_m3) -> None:
    from qa import Assistant, Settings

    def ingest(**kwargs: bool):
        settings = Settings(index_dir=tmp_path / "index", articles=[articles_dir])
        return Assistant(settings, embeddings=use_m3).ingest(**kwargs)

    first = ingest()
    assert first.embedded > 0 and first.reused == 0
    again = ingest()
    assert again.unchanged and again.embedded == 0
    rebuilt = ingest(rebuild=True)
    assert not rebuilt.unchanged and rebuilt.embedded == 0 and rebuilt.reused > 0

    (articles_dir / "more" / "festival.md").write_text(
        FESTIVAL + "\n## الجوائز\n\nتمنح اللجنة جائزة أفضل مزرعة لمزارع من عنيزة.\n", encoding="utf-8")
    grown = ingest()
    assert grown.articles == 2 and grown.chunks > first.chunks
    assert 0 < grown.embedded < first.embedded // 4 and grown.reused > 0  # the new section's texts only


def test_an_empty_folder_is_refused_and_the_index_is_kept(tmp_path: Path, use_m3, articles_dir: Path) -> None:
    from qa import ArticleError, Assistant, Settings

    index = tmp_path / "index"
    Assistant(Settings(index_dir=index, articles=[articles_dir]), embeddings=use_m3).ingest()
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="no .txt or .md"):
        Assistant(Settings(index_dir=index, articles=[empty]), embeddings=use_m3).ingest()
    kept = Assistant(Settings(index_dir=index), embeddings=use_m3)
    assert kept.ask("متى يبدأ مهرجان التمور في بريدة؟").citations[0].article == FESTIVAL_TITLE


@pytest.mark.slow
def test_cli_ingests_a_folder_and_cites_article_titles(articles_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QA_INDEX_DIR": str(tmp_path / "index"), "QA_EMBEDDING_THREADS": "1"}

    def qa(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True,
                              env=env, timeout=300)

    ingest = qa("ingest", "--json", "-q", str(articles_dir))
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert report["articles"] == 2 and report["embedded"] > 0

    out = qa("ask", "--json", "متى يبدأ مهرجان التمور في بريدة؟")
    assert out.returncode == 0, out.stderr
    citation = json.loads(out.stdout)["citations"][0]
    assert (citation["article"], citation["section"]) == (FESTIVAL_TITLE, FESTIVAL_DATES)

    seed = json.loads(qa("ask", "--json", "Who called whom, and when?").stdout)["citations"][0]
    assert seed["article"] == LEAD and seed["section"] in HEADINGS
