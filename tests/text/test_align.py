"""Sentence alignment (qa.text.align): monotonic beads of 1-1, 1-2, 2-1 and 1-0, by the encoder's
cosine and a length prior; on the seed and its translation with the real encoder."""

from __future__ import annotations

import numpy as np
import pytest

from qa.ingest.translation import read_with_translations
from qa.text.align import align
from qa.text.sentences import sentence_spans
from tests.conftest import SEED


def topics(meaning: dict[str, str]) -> object:
    """An encoder whose vector of a text is the sum of one-hot topics of the words it holds
    (`meaning`: word -> topic), so that a sentence and its translation share their topics."""
    names = sorted(set(meaning.values()))

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(names) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, -1] = 0.05
            for word in text.replace(".", " ").split():
                if word in meaning:
                    out[row, names.index(meaning[word])] += 1.0
        return out

    return embed


MEANING = {"قط": "cat", "cat": "cat", "كلب": "dog", "dog": "dog", "طير": "bird", "bird": "bird",
           "سمك": "fish", "fish": "fish"}


@pytest.mark.parametrize(("source", "target", "beads"), [
    (["قط يجري.", "كلب ينام."], ["The cat runs.", "The dog sleeps."], [((0,), (0,)), ((1,), (1,))]),
    (["قط وكلب يلعبان."], ["The cat plays.", "The dog plays too."], [((0,), (0, 1))]),  # 1-2
    (["قط يلعب.", "كلب يلعب."], ["The cat and the dog play."], [((0, 1), (0,))]),  # 2-1
    (["قط يجري.", "طير يغني.", "كلب ينام."], ["The cat runs.", "The dog sleeps."],
     [((0,), (0,)), ((1,), ()), ((2,), (1,))]),  # 1-0: a sentence left untranslated
    (["قط."], [], [((0,), ())]),
    ([], ["The cat."], []),
])
def test_beads(
    source: list[str], target: list[str], beads: list[tuple[tuple[int, ...], tuple[int, ...]]]
) -> None:
    assert align(source, target, topics(MEANING)) == beads  # type: ignore[arg-type]


def test_every_sentence_is_in_one_bead_in_order() -> None:
    source = ["قط.", "كلب.", "طير.", "سمك."]
    target = ["Fish.", "Bird.", "Cat.", "Dog.", "Cat and dog."]  # out of order: still monotonic
    beads = align(source, target, topics(MEANING))  # type: ignore[arg-type]
    assert [i for src, _ in beads for i in src] == [0, 1, 2, 3]
    assert [j for _, tgt in beads for j in tgt] == [0, 1, 2, 3, 4]


def test_the_seed_aligns_sentence_for_sentence(use_m3) -> None:
    article = read_with_translations(SEED, max_bytes=5_000_000)
    english = article.translation("en")
    assert english is not None
    for section, translated in zip(article.sections, english.sections, strict=True):
        source = [article.text[s:e] for s, e in sentence_spans(article.text, section.start, section.end)]
        target = [
            english.text[s:e] for s, e in sentence_spans(english.text, translated.start, translated.end)
        ]
        assert len(source) == len(target)  # the translation was written sentence for sentence
        beads = align(source, target, use_m3.embed_array)
        assert beads == [((i,), (i,)) for i in range(len(source))], section.heading
