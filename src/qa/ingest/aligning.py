"""Align each section of an article with its translation, sentence by sentence (qa.text.align), and
make the index's translation records: one per aligned group of translated sentences, naming the
original sentences it translates, and one per translated heading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa.ingest.article import Article
from qa.ingest.chunking import Chunk
from qa.text.align import align
from qa.text.sentences import sentence_spans

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class TranslationRecord:
    """What the index's `translations` collection holds per record."""

    id: str
    text: str
    article_id: str
    section_index: int
    lang: str
    kind: str  # "sentence": a group of translated sentences; "heading": the section's heading
    sentences: tuple[str, ...]  # the ids of the original sentence records it translates
    start: int  # span in the translation's text
    end: int

    def metadata(self) -> dict[str, str | int]:
        return {
            "article_id": self.article_id,
            "section_index": self.section_index,
            "lang": self.lang,
            "kind": self.kind,
            "sentences": " ".join(self.sentences),
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Coverage:
    """How much of the articles' translations the alignment used: original sentences with a
    translation, of all of them."""

    translated: int
    sentences: int

    @property
    def share(self) -> float:
        return self.translated / self.sentences if self.sentences else 1.0


def sentence_ids(chunks: list[Chunk]) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(article id, section index) -> the section's sentence records, as (id, text), in order."""
    out: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for chunk in chunks:
        for n, sentence in enumerate(chunk.sentences):
            out.setdefault((chunk.article_id, chunk.section_index), []).append(
                (f"{chunk.id}:{n}", sentence.text)
            )
    return out


def translation_records(articles: list[Article], chunks: list[Chunk], embed: Embed
                        ) -> tuple[list[TranslationRecord], Coverage]:
    """The translation records of every article's translations, and the alignment's coverage."""
    by_section = sentence_ids(chunks)
    records: list[TranslationRecord] = []
    translated = total = 0
    for article in articles:
        for translation in article.translations:
            for section in translation.sections:
                key = f"{article.id}:{translation.lang}:{section.index}"
                records.append(TranslationRecord(f"{key}:h", section.heading, article.id, section.index,
                                                 translation.lang, "heading", (), section.heading_start,
                                                 section.heading_end))
                originals = by_section.get((article.id, section.index), [])
                spans = sentence_spans(translation.text, section.start, section.end, abbreviations=True)
                targets = [translation.text[s:e] for s, e in spans]
                total += len(originals)
                for n, (src, tgt) in enumerate(align([t for _, t in originals], targets, embed)):
                    if not tgt:
                        continue
                    translated += len(src)
                    start, end = spans[tgt[0]][0], spans[tgt[-1]][1]
                    records.append(
                        TranslationRecord(
                            f"{key}:{n}",
                            translation.text[start:end],
                            article.id,
                            section.index,
                            translation.lang,
                            "sentence",
                            tuple(originals[i][0] for i in src),
                            start,
                            end,
                        )
                    )
    return records, Coverage(translated, total)
