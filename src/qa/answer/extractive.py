"""The default answerer: pick the article's own sentences that answer the question and quote them
verbatim, each cited to its section heading. No model, no network.

A sentence's score mixes its cosine similarity to the question, how much of the question's
(idf-weighted) content it covers, how its chunk ranked, and whether it holds the kind of answer
asked for (a date for "when", a number for "how many"). When no sentence's evidence (the same
score without the answer-kind bonus) reaches `min_evidence`, the answer abstains and names the
nearest section. Weights were chosen on
XQuAD answer sentences and the seed together (see eval/bench_xquad.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from qa.answer import sequel
from qa.results import Answer, Citation, Language
from qa.retrieval.index import Hit, Index
from qa.retrieval.terms import Term
from qa.text import arabic

POOL = 12  # chunks whose sentences compete for the answer
W_COS, W_COVERAGE, W_PRIOR, W_KIND = 0.30, 0.30, 0.30, 0.20
SELF_EVIDENT = frozenset({"source"})  # a sentence naming the source answers "what is the source?" whole
# a reporting verb is in every other news sentence, and so is a place: they rank, they prove nothing
NO_EVIDENCE = frozenset({"said", "where"})
KIND_EVIDENCE = 0.25  # how much of the answer-kind bonus counts as evidence (a date is no proof of topic)
REPEAT_PENALTY = 0.10  # a follow-up usually asks for something the last answer did not quote
REPEAT_SHARE = 0.6
SOURCE_LINE_PENALTY = 0.10  # "المصدر: ..." leads only an answer to "what is the source?"
# "why did the attack happen?": a sentence saying what led to the occurrence of an event («مما أدى إلى
# وقوع هذا الحادث») outranks one that only names it; ranking only, as «هذا الحادث» need not be the event
# asked about (eval/EXPERIMENTS.md)
CAUSE_RANK_BONUS = 0.35
# "where?": many sentences say where something is, so saying where ranks a sentence a little higher
# and proves nothing (NO_EVIDENCE: abstention is unchanged). Chosen on XQuAD's 98 "where" questions:
# first quotes 71 without the kind, 74 / 75 / 70 at a scale of 0.25 / 0.5 / 0.75 (eval/EXPERIMENTS.md)
WEAK_KINDS = frozenset({"where"})
WEAK_KIND_SCALE = 0.5
SEQUEL_BONUS = 0.30  # "What does that tell us?": the sentence continuing the last quote (qa.answer.sequel)
_QUOTE = re.compile(r"«([^»]{8,})»")
MAX_QUOTES = 3
SECOND_QUOTE_RATIO = 0.93  # a further quote must score at least this share of the best one
UNSURE_EVIDENCE = 0.04  # evidence under min_evidence + this asks the second encoder (see `unsure`)
UNSURE_LEAD = 0.04  # so does a best sentence leading another section's best by less than this

TEXT = {
    "ar": {
        "lead": "بحسب المقال:",
        "quote": "«{quote}» [{n}] (قسم «{section}»)",
        "abstain": "لا يذكر المقال ذلك. أقرب قسم إلى سؤالك هو «{section}».",
    },
    "en": {
        "lead": "According to the article (quoted in its original Arabic):",
        "lead_as_written": "According to the article:",  # quotes that are not all Arabic (an English article)
        "quote": "«{quote}» [{n}] (section «{section}»)",
        "abstain": "The article does not say. The nearest section is «{section}».",
    },
}


@dataclass(frozen=True)
class Scored:
    sentence: int
    score: float  # what ranks sentences
    cos: float
    coverage: float
    evidence: float = 0.0  # what abstention reads: the score before conversational adjustments


def coverage(terms: list[Term], sentence_tokens: tuple[str, ...]) -> float:
    """Share of the question's content weight (idf) that the sentence contains; a translated
    word counts by its confidence (qa.text.bridge.confidence)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    have = set(sentence_tokens)
    return sum(t.weight * t.confidence for t in terms if any(tok in have for tok in t.tokens)) / total


def focus_terms(own: list[Term], context: list[Term], share: float = 0.5) -> list[Term]:
    """A follow-up's terms: its own, then the earlier question's at `share` of their weight."""
    have = {tok for term in own for tok in term.tokens}
    return own + [Term(t.tokens, share * t.weight, t.confidence) for t in context if not have.intersection(t.tokens)]


def quoted(answer_text: str) -> list[str]:
    """The «…» quotes of an earlier answer, normalised for matching."""
    return [arabic.normalize(q).strip() for q in _QUOTE.findall(answer_text or "")]


def score_sentences(index: Index, hits: list[Hit], terms: list[Term], question: str = "",
                    already_quoted: list[str] | None = None) -> list[Scored]:
    """Every sentence of the hits, scored for `question` (follow-up of an answer quoting
    `already_quoted`), best first."""
    best_hit = hits[0].score if hits else 1.0
    kinds = arabic.question_kinds(question)
    why_happened = CAUSE_RANK_BONUS if arabic.asks_why_it_happened(question) else 0.0
    said = [q for q in already_quoted or [] if q]
    follows = sequel.sentence(index, question, said) if said else None
    scored = []
    for rank, hit in enumerate(hits):
        floor = min(hit.sentence_cos.values()) if hit.sentence_cos else hit.dense_sentence
        prior = hit.score / best_hit if best_hit > 0 else 0.0
        context = index.context[hit.chunk]  # the heading's words, and the section's place in the article
        for s in index.chunks[hit.chunk].sentences:
            tokens = index.sentences[s].tokens
            cos = hit.sentence_cos.get(s, floor)
            cov = coverage(terms, tokens + context)
            held = {k for k in kinds if index.holds(k, s)}
            kind = bool(held)
            weak = WEAK_KIND_SCALE if held and held <= WEAK_KINDS else 1.0
            share = 1.0 if held & SELF_EVIDENT else KIND_EVIDENCE if held - NO_EVIDENCE else 0.0
            evidence = W_COS * cos + W_COVERAGE * cov + W_PRIOR * prior + share * W_KIND * kind - 0.001 * rank
            if s == follows:  # it says what the last quote showed or led to: it answers, whatever its words
                evidence += SEQUEL_BONUS
            value = evidence + (1 - share) * W_KIND * weak * kind + why_happened * ("cause" in held)
            if "source" not in kinds and arabic.is_source_line(index.sentences[s].text):
                value -= SOURCE_LINE_PENALTY
            if said and not kind and s != follows and _repeats(said, arabic.normalize(index.sentences[s].text)):
                value -= REPEAT_PENALTY  # unless it holds what is asked ("when was that?" after a dated quote)
            scored.append(Scored(s, value, cos, cov, evidence))
    scored.sort(key=lambda x: (-x.score, x.sentence))
    return scored


def _repeats(said: list[str], sentence: str) -> bool:
    """Whether an earlier quote is most of the sentence (REPEAT_SHARE of it): a fragment quoted
    leaves the rest of the sentence unsaid (an LLM's answer, or a user's, quotes a clause)."""
    return any(q in sentence and len(q) >= REPEAT_SHARE * len(sentence) for q in said)


def part_best(index: Index, hits: list[Hit], part: str, second: bool = False) -> Scored:
    """The best sentence among the hits' for one part of a compound question (`second`: with the
    second encoder's cosines, as the whole question's were)."""
    sentences = [s for h in hits for s in index.chunks[h.chunk].sentences]
    cos = index.cosines(part, sentences, second=second)
    part_hits = [replace(h, sentence_cos={s: cos[s] for s in index.chunks[h.chunk].sentences}) for h in hits]
    return score_sentences(index, part_hits, index.terms(part), part)[0]


def antecedent(index: Index, sentence: int) -> int | None:
    """The sentence before `sentence` in its section when `sentence` points back to it («وقد استهدف
    الهجوم تلك القوات» after «وقع الهجوم أثناء اجتماع لقوات سورية وأمريكية ...»): quoted alone, it
    does not say what it is about. None for a section's first sentence."""
    if sentence == 0 or not arabic.points_back(index.sentences[sentence].text):
        return None
    here, there = index.chunks[index.sentences[sentence].chunk], index.chunks[index.sentences[sentence - 1].chunk]
    same = here.article_id == there.article_id and here.section_index == there.section_index
    return sentence - 1 if same else None


def _missing_kind(index: Index, scored: list[Scored], required: frozenset[str]) -> bool:
    """Whether a kind of answer the question requires is held by none of the candidate sentences."""
    return any(not any(index.holds(kind, x.sentence) for x in scored)
               for kind in required)


def unsure(index: Index, scored: list[Scored], min_evidence: float) -> bool:
    """Whether a second opinion on the sentence cosines could change the answer: the best evidence
    is near the abstention threshold, or the best sentence leads the best of another section by
    little. Chosen on XQuAD and the tuning sets (eval/EXPERIMENTS.md)."""
    if not scored or max(x.evidence for x in scored) < min_evidence + UNSURE_EVIDENCE:
        return True
    section = index.chunks[index.sentences[scored[0].sentence].chunk].section
    other = next((x for x in scored if index.chunks[index.sentences[x.sentence].chunk].section != section), None)
    return other is not None and scored[0].score - other.score < UNSURE_LEAD


def lead(language: Language, quotes: list[str]) -> str:
    """The answer's first line. An English one says the quotes are in Arabic only when they are
    (an article of your own may be in English)."""
    text = TEXT[language]
    if language == "en" and not all(arabic.detect_language(q) == "ar" for q in quotes):
        return text["lead_as_written"]
    return text["lead"]


def answer(index: Index, hits: list[Hit], terms: list[Term], question: str, language: Language,
           min_evidence: float, passages_shown: int = 0, previous_answer: str = "",
           second_opinion: Callable[[], list[Hit]] | None = None) -> Answer:
    """An extractive Answer from ranked chunks (ask for POOL of them); `passages_shown` limits the
    passages the Answer lists (0: all); `previous_answer` is the last answer of a conversation this
    question follows up. `second_opinion()` gives the hits again with the second encoder's cosines
    (qa.store.second_encoder); it is asked only when the answer is `unsure`, since it costs ~10 ms."""
    text = TEXT[language]
    passages = [index.passage(h) for h in hits[:passages_shown]] if passages_shown else [index.passage(h) for h in hits]
    scored = score_sentences(index, hits, terms, question, quoted(previous_answer))
    second = second_opinion is not None and unsure(index, scored, min_evidence)
    if second and second_opinion is not None:
        hits = second_opinion()
        scored = score_sentences(index, hits, terms, question, quoted(previous_answer))
    nearest = index.chunks[hits[0].chunk].section if hits else ""
    # abstain when nothing in the article is close enough, whichever sentence ranks first, or when
    # the question asks for a clock time or a length of time and no candidate sentence holds one
    if (not scored or max(x.evidence for x in scored) < min_evidence
            or _missing_kind(index, scored, arabic.question_kinds(question) & arabic.REQUIRED_KINDS)):
        return Answer(text["abstain"].format(section=nearest), language, True, "extractive", [],
                      question=question, passages=passages)
    chosen = [scored[0]]
    for candidate in scored[1:]:
        if len(chosen) == MAX_QUOTES or candidate.score < SECOND_QUOTE_RATIO * scored[0].score:
            break
        chosen.append(candidate)
    chosen.sort(key=lambda c: c.sentence)  # article order reads naturally
    chosen.sort(key=lambda c: c.sentence != scored[0].sentence)  # the best evidence first
    parts = arabic.question_parts(question)
    if len(parts) > 1:  # a compound question: the best sentence for each part, in the parts' order
        leads = [part_best(index, hits, part, second) for part in parts[:MAX_QUOTES]]
        chosen = list({c.sentence: c for c in leads + chosen}.values())[:MAX_QUOTES]
    before = antecedent(index, chosen[0].sentence)
    if before is not None and len(chosen) < MAX_QUOTES and before not in {c.sentence for c in chosen}:
        chosen.insert(1, Scored(before, 0.0, 0.0, 0.0))  # what the best quote points back to
    citations, lines = [], []
    for n, pick in enumerate(chosen, start=1):
        sentence = index.sentences[pick.sentence]
        chunk = index.chunks[sentence.chunk]
        citations.append(Citation(section=chunk.section, quote=sentence.text, article=chunk.article,
                                  marker=n, start=sentence.start, end=sentence.end))
        lines.append(text["quote"].format(quote=sentence.text, n=n, section=chunk.section))
    lines.insert(0, lead(language, [c.quote for c in citations]))
    return Answer("\n".join(lines), language, False, "extractive", citations, question=question, passages=passages)
