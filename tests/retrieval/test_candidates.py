"""A large index ranks only the sections of its candidates (Chroma's HNSW nearest chunks and
sentences, and the lexical bests: qa.retrieval.index.Index._candidates). Forced on the seed and on
XQuAD articles (`large_index_chunks=0`), it gives the answers and passages of the whole-index path."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, Settings
from qa.retrieval.segments import View
from qa.scoring import SCORING
from tests.conftest import REPO

SEED_QUESTIONS = [json.loads(line)["question"]
                  for line in (REPO / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                  if line.strip()][:40]


def _same(whole: Assistant, candidates: Assistant, questions: list[str], few: int, monkeypatch,
          pruned: float) -> None:
    """The same passages and answers, with `few` candidates of each kind; at least the share
    `pruned` of the searches ranked a part of the index only."""
    index = candidates.index()
    assert index._candidates_above is not None and whole.index()._candidates_above is None
    index.weights = replace(index.weights, candidates=few)
    ranked: list[int] = []
    pick = index._candidates

    def counted(*args, **kwargs):
        view = pick(*args, **kwargs)
        ranked.append(view.n_sections)
        return view

    monkeypatch.setattr(index, "_candidates", counted)
    for question in questions:
        assert ([(p.chunk_id, p.score) for p in candidates.retrieve(question, k=6)]
                == [(p.chunk_id, p.score) for p in whole.retrieve(question, k=6)]), question
        assert candidates.ask(question).to_dict() == whole.ask(question).to_dict(), question
    assert sum(n < index.n_sections for n in ranked) >= pruned * len(ranked)


def test_the_candidate_path_answers_the_seed_as_the_whole_index_does(seed_index_dir, use_m3,
                                                                      monkeypatch) -> None:
    whole = Assistant(Settings(index_dir=seed_index_dir), embeddings=use_m3)
    candidates = Assistant(Settings(index_dir=seed_index_dir, large_index_chunks=0), embeddings=use_m3)
    # the seed's 8 sections are all candidates: the same code over every section, to the bit
    _same(whole, candidates, SEED_QUESTIONS, SCORING.retrieval.candidates, monkeypatch, 0.0)


@pytest.mark.slow
def test_the_candidate_path_ranks_xquad_as_the_whole_index_does(use_m3, tmp_path: Path, monkeypatch) -> None:
    # 12 of XQuAD's 48 articles (Arabic paragraphs, one section each), the questions in both languages
    folder = REPO / "eval" / "data" / "xquad"
    data = {lang: json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
            for lang in ("ar", "en")}
    paths, questions = [], []
    for i, article in enumerate(data["ar"]["data"][::4]):
        lines = [f"# xquad-{i:02d}", ""]
        for j, paragraph in enumerate(article["paragraphs"], start=1):
            lines += [f"## ¶{j}", paragraph["context"].strip(), ""]
            questions += [q["question"] for q in paragraph["qas"][:1]]
        paths.append(tmp_path / f"xquad-{i:02d}.md")
        paths[-1].write_text("\n".join(lines), encoding="utf-8")
    for article in data["en"]["data"][::4]:
        questions += [paragraph["qas"][0]["question"] for paragraph in article["paragraphs"][::3]]
    index = tmp_path / "index"
    whole = Assistant(Settings(articles=paths, index_dir=index), embeddings=use_m3)
    whole.ingest()
    copy = tmp_path / "copy"
    shutil.copytree(index, copy)
    candidates = Assistant(Settings(articles=paths, index_dir=copy, large_index_chunks=0), embeddings=use_m3)
    assert len(whole.index().chunks) > 50
    _same(whole, candidates, questions, 5, monkeypatch, 0.8)


def test_a_view_of_sections_holds_their_chunks_and_sentences_in_order() -> None:
    chunk_section = np.asarray([0, 0, 1, 2, 2, 2])
    sentence_chunk = np.asarray([0, 0, 1, 3, 4, 4, 5])  # chunk 2 has no sentence
    section_first_chunk = np.searchsorted(chunk_section, np.arange(4))
    chunk_first_sentence = np.searchsorted(sentence_chunk, np.arange(7))
    view = View.of(np.asarray([0, 2]), section_first_chunk, chunk_first_sentence)
    assert list(view.chunks) == [0, 1, 3, 4, 5]
    assert list(view.sentences) == [0, 1, 2, 3, 4, 5, 6]
    assert list(view.chunk_section) == [0, 0, 1, 1, 1]
    assert [view.chunk(n) for n in range(5)] == [0, 1, 3, 4, 5]
    assert view.sentence_rows(3, (4, 5)) == [4, 5]  # chunk 4's sentences are rows 4 and 5 here too
    maximum = view.sentence_runs.maximum(np.arange(7, dtype=np.float32), -1.0)
    assert maximum.tolist() == [1.0, 2.0, 3.0, 5.0, 6.0]
    other = View.of(np.asarray([1]), section_first_chunk, chunk_first_sentence)
    assert list(other.chunks) == [2] and other.n_sentences == 0
    assert other.sentence_runs.maximum(np.zeros(0, np.float32), -1.0).tolist() == [-1.0]
