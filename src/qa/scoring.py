"""Every tuning weight of retrieval and answering, in one frozen dataclass, each with where its value
came from. Code reads them from `SCORING` (or a `Scoring` handed to it); nothing here is a setting a
user is meant to change: settings (qa.settings) say what to do, these say how much each signal counts.

Most values were chosen on XQuAD (eval/bench_xquad.py, eval/xquad_answers.py) and the tuning sets
(eval/dev*.jsonl); eval/EXPERIMENTS.md records what was tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

Signals = Literal["hybrid", "dense", "bm25"]


def weight(value: Any, note: str) -> Any:
    """A field with its default and a one-line note of where the value came from."""
    return field(default=value, metadata={"note": note})


@dataclass(frozen=True)
class Retrieval:
    """How passages are ranked (qa.retrieval.index)."""

    sentence: float = weight(0.40, "best sentence cosine in a section; XQuAD R@1 sweep")
    chunk: float = weight(0.10, "best chunk cosine in a section; XQuAD R@1 sweep")
    section: float = weight(0.20, "cosine of the section's mean chunk vector; XQuAD R@1 sweep")
    bm25: float = weight(0.50, "BM25 share, doubled for a question in the article's words; XQuAD ar->ar")
    coverage: float = weight(0.50, "best sentence's idf-weighted share of the terms, times trust; XQuAD")
    kind: float = weight(0.10, "a sentence holds the kind of answer asked for (a date for when); XQuAD")
    bridge: bool = weight(True, "English words reach the Arabic index through the word bridge; XQuAD en->ar")
    matched_full: float = weight(
        0.5, "lexical signals count fully once this share of the terms is in the article"
    )
    local: float = weight(0.25, "a chunk's own evidence beside its section's; XQuAD R@1")
    title: float = weight(
        1.2, "share of the question's words (idf over articles) in an article's title; ARCD dev halves")
    bm25_k1: float = weight(1.5, "the default k1 of bm25s and Lucene; not tuned")
    candidates: int = weight(
        100, "a large index ranks the sections of this many nearest chunks, sentences and lexical bests")
    translated_sentence: float = weight(0.30, "the sentence's translation's cosine to the question; XQuAD")
    translated_coverage: float = weight(0.30, "its translation's share of the question's words; XQuAD en->ar")
    translated_section: float = weight(0.60, "the section translation's share of the words; XQuAD en->ar R@1")
    answer_only_kinds: frozenset[str] = weight(
        frozenset({"where"}),
        "kinds too common to move passages (XQuAD's where questions: 73 first quotes answerer-only, 68 with)")

    def only(self, signals: Signals) -> Retrieval:
        """These weights with one signal alone (`dense`, `bm25`) for comparisons, or as they are
        (`hybrid`)."""
        if signals == "dense":
            return replace(self, bm25=0.0, coverage=0.0, kind=0.0, bridge=False, translated_sentence=0.0)
        if signals == "bm25":
            return replace(self, sentence=0.0, chunk=0.0, section=0.0, bm25=1.0, coverage=0.0, kind=0.0,
                           bridge=False, translated_sentence=0.0)
        return self


@dataclass(frozen=True)
class Answering:
    """How the extractive answerer picks its quotes (qa.answer.sentences, qa.answer.extractive)."""

    pool: int = weight(12, "chunks whose sentences compete for the answer")
    cos: float = weight(0.30, "sentence cosine; XQuAD answer sentences and the seed together")
    coverage: float = weight(0.30, "share of the question's terms; XQuAD answer sentences and the seed")
    prior: float = weight(
        0.30, "the chunk's retrieval score over the best; XQuAD answer sentences and the seed"
    )
    kind: float = weight(0.20, "holds the kind of answer asked for; XQuAD answer sentences and the seed")
    rank_step: float = weight(0.001, "a tie-break: the higher-ranked chunk's sentence first")
    kind_evidence: float = weight(
        0.25, "share of the kind bonus that counts as evidence: a date is no proof of topic"
    )
    self_evident: frozenset[str] = weight(frozenset({"source"}),
                                          "a sentence naming the source answers 'what is the source?' whole")
    no_evidence: frozenset[str] = weight(frozenset({"said", "where"}),
                                         "a reporting verb or a place is in every other news sentence")
    weak_kinds: frozenset[str] = weight(
        frozenset({"where"}), "kinds whose bonus is scaled by weak_kind_scale"
    )
    weak_kind_scale: float = weight(0.5, "XQuAD's 98 where questions: 74/75/70 first quotes at 0.25/0.5/0.75")
    repeat_penalty: float = weight(0.10, "a follow-up usually asks what the last answer did not quote")
    repeat_share: float = weight(0.6, "an earlier quote that is this share of a sentence repeats it")
    source_line_penalty: float = weight(0.10, "'Source: ...' leads only an answer to 'what is the source?'")
    cause_rank_bonus: float = weight(0.35, "why did it happen: a sentence saying what led to it; tuning sets")
    continuity: float = weight(
        0.10, "a follow-up's sentences in the last quote's section; followups2 0.786 -> 0.929")
    sequel_bonus: float = weight(0.30, "'What does that tell us?': the sentence continuing the last quote")
    max_quotes: int = weight(3, "quotes in one answer")
    related: int = weight(2, "closest sentences (of different sections) offered beside an abstention")
    second_quote_ratio: float = weight(0.93, "a further quote must score this share of the best")
    unsure_evidence: float = weight(0.04, "evidence under min_evidence + this asks the second encoder; XQuAD")
    unsure_lead: float = weight(0.04, "so does a best sentence leading another section's by less; XQuAD")
    clause_marks: frozenset[str] = weight(
        frozenset("،,؛;:"), "a quote ending at one of these takes the clause after it; ARCD")
    translated_offset: float = weight(
        0.10, "a translation's cosine, less this, stands for its sentence's; XQuAD en first quotes")
    follow_up_words: int = weight(1, "a follow-up with this few content words is read with the last question")
    focus_share: float = weight(0.5, "a follow-up's earlier question counts at this share of its weight")


@dataclass(frozen=True)
class Bridge:
    """The cross-lingual word bridge and names (qa.text.bridge, qa.retrieval.terms)."""

    min_cos: float = weight(0.50, "below this a neighbour is more often wrong than right; XQuAD")
    margin: float = weight(0.04, "keep neighbours within this of the best one")
    neighbours: int = weight(3, "vocabulary words looked at per question word")
    sure_cos: float = weight(0.80, "a translation this close counts as much as the Arabic word itself")
    name_confidence: float = weight(0.8, "a name matched by its consonant skeleton")
    max_sense_tokens: int = weight(3, "a longer dictionary sense explains rather than translates")
    min_name_letters: int = weight(4, "shorter Arabic words share consonant skeletons with too much")
    min_uncommon_letters: int = weight(4, "shorter Latin words are not read as names typed in lower case")


@dataclass(frozen=True)
class Mix:
    """The second encoder's cosine put on use-m3's scale (qa.store.second_encoder); measured on XQuAD
    (1,190 questions per language against 240 paragraphs)."""

    use_centre: float = weight(0.03, "use-m3's mean question-paragraph cosine on XQuAD")
    scale: float = weight(2.9, "use-m3's spread over e5-small's (0.068 / 0.0235) on XQuAD")
    e5_centre_en: float = weight(0.703, "e5-small's mean cosine for an English question on XQuAD")
    e5_centre_ar: float = weight(0.761, "e5-small's mean cosine for an Arabic question on XQuAD")


@dataclass(frozen=True)
class LLMChecks:
    """LLM mode: retrieval for the prompt and the checks on the reply (qa.answer.llm)."""

    candidates: int = weight(
        24, "chunks retrieved before packing; the token budget decides how many are used"
    )
    rrf_k: int = weight(60, "reciprocal rank fusion constant (Cormack et al. 2009)")
    support_min: float = weight(
        0.5, "supported Arabic sentences share 0.67-1.00 of tokens, retold rules 0.00-0.20"
    )
    echo_share: float = weight(0.6, "retold rules share 0.60-1.00 of a rule's tokens, answers at most 0.33")
    echo_min_tokens: int = weight(3, "a shorter sentence is not read as a retold rule")
    leak_ngram: int = weight(6, "a run of this many words from the system prompt is an echo of it")


@dataclass(frozen=True)
class Alignment:
    """Sentence alignment of an article and its translation (qa.text.align); chosen on XQuAD's gold
    sentence pairs (eval/bench_xquad.py)."""

    length: float = weight(0.25, "per unit of |log length ratio| off the section's ratio; XQuAD gold pairs")
    skip: float = weight(-0.05, "score of a 1-0 bead, an original sentence left untranslated; XQuAD pairs")
    insert: float = weight(-0.5, "score of a 0-1 bead, a translated sentence with no original: a last resort")
    merge: float = weight(0.04, "cost of a 1-2 or 2-1 bead beyond a 1-1; XQuAD gold pairs")


@dataclass(frozen=True)
class Scoring:
    """All the weights, by stage."""

    retrieval: Retrieval = field(default_factory=Retrieval)
    answering: Answering = field(default_factory=Answering)
    bridge: Bridge = field(default_factory=Bridge)
    mix: Mix = field(default_factory=Mix)
    llm: LLMChecks = field(default_factory=LLMChecks)
    alignment: Alignment = field(default_factory=Alignment)


SCORING = Scoring()


def notes() -> dict[str, str]:
    """Every weight's dotted name and its note (for docs and the test that each has one)."""
    return {f"{stage.name}.{f.name}": f.metadata.get("note", "")
            for stage in fields(Scoring) for f in fields(getattr(SCORING, stage.name))}
