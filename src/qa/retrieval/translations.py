"""An index's translations, opened for reading: for each language, the aligned groups of translated
sentences (qa.ingest.aligning) with their vectors and English tokens, which original sentences each
translates, and the translated headings. Retrieval matches a question in that language against them
(qa.retrieval.index); the answerer quotes them beside the original (qa.answer.extractive).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.retrieval.lexical import idf_of
from qa.retrieval.records import ChunkRecord, SentenceRecord
from qa.store.chroma import Store
from qa.store.manifest import Manifest
from qa.text import english


@dataclass(frozen=True, eq=False)
class Translated:
    """One language's translation of the index."""

    lang: str
    texts: tuple[str, ...]  # one per aligned group
    spans: tuple[tuple[str, int, int], ...]  # per group: (article id, start, end) in the translation's text
    vectors: np.ndarray  # unit rows, one per group
    group_of: np.ndarray  # per original sentence (by position): its group, or -1
    members: tuple[tuple[int, ...], ...]  # per group: the original sentences (by position) it translates
    headings: dict[tuple[str, int], str]  # (article id, section index) -> the translated heading
    tokens: tuple[tuple[str, ...], ...]  # per group: English tokens (qa.text.english)
    idf: dict[str, float]  # of tokens over sections (each section's groups and heading)
    group_postings: dict[str, np.ndarray]  # token -> the groups that hold it
    section_postings: dict[tuple[str, int], frozenset[str]]  # (article id, section index) -> its tokens

    def signals(
        self, vector: np.ndarray, words: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
        """For a question (its use-m3 `vector`, its English `words` as qa.text.english gives them): each
        group's cosine, each group's idf-weighted share of the words, and each word's share of them
        all (to score sections by the words they hold)."""
        cos = self.vectors @ vector if len(self.vectors) else np.zeros(0, np.float32)
        unseen = max(self.idf.values(), default=1.0)
        weights = {w: self.idf.get(w, unseen) for w in dict.fromkeys(words)}
        total = sum(weights.values())
        coverage = np.zeros(len(self.texts), np.float32)
        if total <= 0:
            return cos, coverage, {}
        for word, weight in weights.items():
            if word in self.group_postings:
                coverage[self.group_postings[word]] += weight
        return cos, coverage / total, {w: v / total for w, v in weights.items()}

    def sentence_text(self, sentences: Sequence[int]) -> str | None:
        """The translation of some original sentences (by position): their groups' texts, each once, in
        order; None when none of them has one."""
        groups = list(dict.fromkeys(int(self.group_of[s]) for s in sentences if self.group_of[s] >= 0))
        return " ".join(self.texts[g] for g in groups) if groups else None


def load(store: Store, manifest: Manifest, chunks: Sequence[ChunkRecord],
         sentences: Sequence[SentenceRecord]) -> dict[str, Translated]:
    """The translations of a generation, by language; none for an index written before they existed."""
    if manifest.schema < 3:
        return {}
    got = store.collection(manifest.active, "translations").get(
        include=["documents", "metadatas", "embeddings"]
    )
    if not got["ids"]:
        return {}
    position = {s.id: n for n, s in enumerate(sentences)}
    out: dict[str, Translated] = {}
    langs = sorted({str(m["lang"]) for m in got["metadatas"]})
    for lang in langs:
        rows = [
            (doc, meta, vec)
            for doc, meta, vec in zip(got["documents"], got["metadatas"], got["embeddings"], strict=True)
            if meta["lang"] == lang
        ]
        headings = {(str(m["article_id"]), int(m["section_index"])): str(d) for d, m, _ in rows
                    if m["kind"] == "heading"}
        groups = sorted(((d, m, v) for d, m, v in rows if m["kind"] == "sentence"),
                        key=lambda r: min((position.get(i, 10**9) for i in str(r[1]["sentences"]).split()),
                                          default=10**9))
        group_of = np.full(len(sentences), -1, dtype=np.int64)
        members = []
        for g, (_, meta, _) in enumerate(groups):
            found = tuple(position[i] for i in str(meta["sentences"]).split() if i in position)
            members.append(found)
            group_of[list(found)] = g
        vectors = np.asarray([v for _, _, v in groups], dtype=np.float32).reshape(len(groups), -1)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        tokens = tuple(tuple(english.tokens(str(d))) for d, _, _ in groups)
        section_tokens: dict[tuple[str, int], list[str]] = {
            key: english.tokens(text) for key, text in headings.items()}
        for (_, meta, _), toks in zip(groups, tokens, strict=True):
            section_tokens.setdefault((str(meta["article_id"]), int(meta["section_index"])), []).extend(toks)
        postings: dict[str, list[int]] = {}
        for g, toks in enumerate(tokens):
            for tok in set(toks):
                postings.setdefault(tok, []).append(g)
        spans = tuple((str(m["article_id"]), int(m["start"]), int(m["end"])) for _, m, _ in groups)
        out[lang] = Translated(
            lang,
            tuple(str(d) for d, _, _ in groups),
            spans,
            vectors,
            group_of,
            tuple(members),
            headings,
            tokens,
            idf_of(list(section_tokens.values())),
            {t: np.asarray(g, dtype=np.int64) for t, g in postings.items()},
            {key: frozenset(toks) for key, toks in section_tokens.items()},
        )
    return out


def heading(translated: Translated | None, chunk: ChunkRecord) -> str | None:
    """A chunk's section heading in the translation, or None."""
    return None if translated is None else translated.headings.get((chunk.article_id, chunk.section_index))
