"""Score the sentences of retrieved chunks as answers to a question: the extractive answerer's
ranking (qa.answer.extractive).

A sentence's score mixes its cosine similarity to the question, how much of the question's
(idf-weighted) content it covers, how its chunk ranked, and whether it holds the kind of answer
asked for (a date for "when", a number for "how many": qa.retrieval.kinds). Its evidence is the
same score without the conversational adjustments and with only part of the kind bonus: what
abstention reads. Weights: qa.scoring.Answering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer import sequel
from qa.question.query import FollowUp, Reading, Term
from qa.retrieval.index import Index
from qa.retrieval.records import Hit
from qa.scoring import Answering
from qa.text import tables
from qa.text.normalize import normalize, strip_harakat


@dataclass(frozen=True)
class Scored:
    sentence: int
    score: float  # what ranks sentences
    cos: float
    coverage: float
    evidence: float = 0.0  # what abstention reads: the score before conversational adjustments


def coverage(terms: Sequence[Term], sentence_tokens: tuple[str, ...]) -> float:
    """Share of the question's content weight (idf) that the sentence contains; a translated
    word counts by its confidence (qa.text.bridge.confidence)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    have = set(sentence_tokens)
    return sum(t.weight * t.confidence for t in terms if any(tok in have for tok in t.tokens)) / total


def is_source_line(text: str) -> bool:
    """True for an attribution line ("المصدر: ...", "Source: ..."): it answers where the news
    comes from, and nothing else."""
    return bool(tables.rule("answer_words.toml", "source_line").search(text))


def points_back(text: str) -> bool:
    """Whether a sentence names something by pointing back to an earlier one («وقد استهدف الهجوم
    تلك القوات»: which forces, the sentence before says)."""
    return bool(tables.rule("followup.toml", "points_back").search(strip_harakat(text)))


def score_sentences(index: Index, hits: list[Hit], terms: Sequence[Term], reading: Reading,
                    follow_up: FollowUp | None, w: Answering) -> list[Scored]:
    """Every sentence of the hits, scored for a question read as `reading` (a follow-up of an
    answer when `follow_up` is given), best first."""
    best_hit = hits[0].score if hits else 1.0
    kinds = reading.kinds
    why_happened = w.cause_rank_bonus if reading.why_happened else 0.0
    said = [q for q in follow_up.quoted if q] if follow_up is not None else []
    follows = sequel.sentence(index, follow_up.sequel, said) if follow_up is not None and said else None
    nearby = sequel.same_section(index, said) if said else frozenset()
    scored = []
    for rank, hit in enumerate(hits):
        floor = min(hit.sentence_cos.values()) if hit.sentence_cos else hit.dense_sentence
        prior = hit.score / best_hit if best_hit > 0 else 0.0
        context = index.context[hit.chunk]  # the heading's words, and the section's place in the article
        for s in index.chunks[hit.chunk].sentences:
            tokens = index.sentences[s].tokens
            cos = hit.sentence_cos.get(s, floor)
            cov = coverage(terms, tokens + context)
            if s in hit.translated_cos:  # a question in the language of the article's translation
                cos = max(cos, hit.translated_cos[s] - w.translated_offset)
                cov = max(cov, hit.translated_cover.get(s, 0.0))
            held = {k for k in kinds if index.holds(k, s)}
            kind = bool(held)
            weak = w.weak_kind_scale if held and held <= w.weak_kinds else 1.0
            share = 1.0 if held & w.self_evident else w.kind_evidence if held - w.no_evidence else 0.0
            evidence = (
                w.cos * cos + w.coverage * cov + w.prior * prior + share * w.kind * kind - w.rank_step * rank
            )
            if s == follows:  # it says what the last quote showed or led to: it answers, whatever its words
                evidence += w.sequel_bonus
            if s in nearby:  # a follow-up goes on about what the last answer quoted, mostly in its section
                evidence += w.continuity
            value = evidence + (1 - share) * w.kind * weak * kind + why_happened * ("cause" in held)
            if "source" not in kinds and is_source_line(index.sentences[s].text):
                value -= w.source_line_penalty
            if said and not kind and s != follows and _repeats(said, normalize(index.sentences[s].text), w):
                # unless it holds what is asked ("when was that?" after a dated quote)
                value -= w.repeat_penalty
            scored.append(Scored(s, value, cos, cov, evidence))
    scored.sort(key=lambda x: (-x.score, x.sentence))
    return scored


def _repeats(said: list[str], sentence: str, w: Answering) -> bool:
    """Whether an earlier quote is most of the sentence (`repeat_share` of it): a fragment quoted
    leaves the rest of the sentence unsaid (an LLM's answer, or a user's, quotes a clause)."""
    return any(q in sentence and len(q) >= w.repeat_share * len(sentence) for q in said)


def antecedent(index: Index, sentence: int) -> int | None:
    """The sentence before `sentence` in its section when `sentence` points back to it («وقد استهدف
    الهجوم تلك القوات» after «وقع الهجوم أثناء اجتماع لقوات سورية وأمريكية ...»): quoted alone, it
    does not say what it is about. None for a section's first sentence."""
    if sentence == 0 or not points_back(index.sentences[sentence].text):
        return None
    here, there = (
        index.chunks[index.sentences[sentence].chunk],
        index.chunks[index.sentences[sentence - 1].chunk],
    )
    same = here.article_id == there.article_id and here.section_index == there.section_index
    return sentence - 1 if same else None


def unsure(index: Index, scored: list[Scored], min_evidence: float, w: Answering) -> bool:
    """Whether a second opinion on the sentence cosines could change the answer: the best evidence
    is near the abstention threshold, or the best sentence leads the best of another section by
    little. Chosen on XQuAD and the tuning sets (eval/EXPERIMENTS.md)."""
    if not scored or max(x.evidence for x in scored) < min_evidence + w.unsure_evidence:
        return True
    section = index.chunks[index.sentences[scored[0].sentence].chunk].section
    other = next(
        (x for x in scored if index.chunks[index.sentences[x.sentence].chunk].section != section), None
    )
    return other is not None and scored[0].score - other.score < w.unsure_lead
