"""The word lists that ship as data are general Arabic, not the seed article's own forms.

A word of a content list (data/answer_words.toml, the `shows` verbs of data/followup.toml) that the
seed article also has, as written, must be general vocabulary: in the bundled English-Arabic
dictionary (FreeDict), or in GENERAL below with the reason it belongs in any news report. A form
added because the seed happens to use it (تعازيه "his condolences") fails here.
"""

from __future__ import annotations

import gzip
import re
from functools import cache

import pytest

from qa.resources import data_file
from qa.text import tables
from qa.text.normalize import fold
from qa.text.words import tokens
from tests.conftest import SEED

LISTS = {
    "answer_words.toml": ("numbers", "cause", "occurrence", "source", "time_of_day", "duration", "said",
                          "place_in", "place_intro"),
    "followup.toml": ("shows",),
}
# seed words of the lists that the dictionary lacks as written, and why they are general
GENERAL = {
    "اكد": "أكد 'to stress, to confirm': the commonest reporting verb of Arabic news",
    "معربا": "accusative participle of أعرب 'to express': "
             "news attaches a statement with it (مؤكدا, مشيرا ...)",
    "معتبرا": "accusative participle of اعتبر 'to consider', likewise",
    "وقوع": "verbal noun of وقع: 'the occurrence of' an event",
}


@cache
def dictionary_words() -> frozenset[str]:
    data = gzip.decompress(data_file("freedict-eng-ara.tsv.gz").read_bytes()).decode("utf-8")
    return frozenset(fold(w) for line in data.splitlines() for sense in line.split("\t")[1:]
                     for w in re.findall(r"\w+", sense))


def seed_words() -> frozenset[str]:
    """The seed's words as written (folded), also without a leading conjunction و or ف (ومعتبرا)."""
    words = re.findall(r"\w+", fold(SEED.read_text(encoding="utf-8")))
    return frozenset(words + [w[1:] for w in words if w[:1] in ("و", "ف") and len(w) > 3])


@pytest.mark.parametrize(("file", "key"), [(f, k) for f, keys in LISTS.items() for k in keys])
def test_seed_words_in_a_list_are_general_vocabulary(file: str, key: str) -> None:
    listed = {fold(w) for w in tables.words_of(file, key)}
    unexplained = sorted(w for w in listed & seed_words() if w not in dictionary_words() and w not in GENERAL)
    assert not unexplained, f"{file} `{key}`: seed forms that are no general vocabulary: {unexplained}"


def test_every_reason_is_still_needed() -> None:
    listed = {fold(w) for file, keys in LISTS.items() for key in keys for w in tables.words_of(file, key)}
    assert set(GENERAL) <= listed & seed_words()


def test_the_lists_cover_every_kind_of_evidence() -> None:
    assert set(LISTS["answer_words.toml"]) == {k for k, v in tables.toml("answer_words.toml").items()
                                               if isinstance(v, str)}


@pytest.mark.parametrize(
    ("joined", "spaced"),
    [
        ("ماهي عاصمة هولندا؟", "ما هي عاصمة هولندا؟"),
        ("ماهو البظر؟", "ما هو البظر؟"),
        ("ماهى عاصمة هولندا", "ما هي عاصمة هولندا"),
        ("بماذا تميزت الدولة؟", "ماذا تميزت الدولة؟"),
        ("مالذي حدث للدولة؟", "ما الذي حدث للدولة؟"),
        ("ممن تتكون الدولة؟", "من تتكون الدولة؟"),
        ("ايهما أكبر الدولة أم المدينة؟", "أي أكبر الدولة أم المدينة؟"),
    ],
)
def test_question_words_written_joined_are_question_words(joined: str, spaced: str) -> None:
    """Many people type ما هو as ماهو: either way, only the content words are left to match."""
    assert tokens(joined, drop_stopwords=True) == tokens(spaced, drop_stopwords=True)
