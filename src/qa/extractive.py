"""The default answerer: pick the article's own sentences that answer the question and quote them
verbatim, each cited to its section heading. No model, no network.

A sentence's score mixes its cosine similarity to the question, how much of the question's
(idf-weighted) content it covers, and how its chunk ranked. When the best score is under
`min_evidence`, the answer abstains and names the nearest section.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.results import Answer, Citation, Language
from qa.retrieval import Hit, Index, Term

MAX_QUOTES = 3
SECOND_QUOTE_RATIO = 0.93  # a further quote must score at least this share of the best one

TEXT = {
    "ar": {
        "lead": "بحسب المقال:",
        "quote": "«{quote}» [{n}] (قسم «{section}»)",
        "abstain": "لا يذكر المقال ذلك. أقرب قسم إلى سؤالك هو «{section}».",
    },
    "en": {
        "lead": "According to the article (quoted in its original Arabic):",
        "quote": "«{quote}» [{n}] (section «{section}»)",
        "abstain": "The article does not say. The nearest section is «{section}».",
    },
}


@dataclass(frozen=True)
class Scored:
    sentence: int
    score: float
    cos: float
    coverage: float


def coverage(terms: list[Term], sentence_tokens: tuple[str, ...]) -> float:
    """Share of the question's content weight (idf) that the sentence contains."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    have = set(sentence_tokens)
    return sum(t.weight for t in terms if any(tok in have for tok in t.tokens)) / total


def score_sentences(index: Index, hits: list[Hit], terms: list[Term]) -> list[Scored]:
    best_hit = hits[0].score if hits else 1.0
    scored = []
    for rank, hit in enumerate(hits):
        floor = min(hit.sentence_cos.values()) if hit.sentence_cos else hit.dense_sentence
        prior = hit.score / best_hit if best_hit > 0 else 0.0
        for s in index.chunks[hit.chunk].sentences:
            cos = hit.sentence_cos.get(s, floor)
            cov = coverage(terms, index.sentences[s].tokens)
            value = 0.30 * cos + 0.55 * cov + 0.15 * prior - 0.01 * rank
            scored.append(Scored(s, value, cos, cov))
    scored.sort(key=lambda x: (-x.score, x.sentence))
    return scored


def answer(index: Index, hits: list[Hit], terms: list[Term], question: str, language: Language,
           min_evidence: float) -> Answer:
    """An extractive Answer from ranked chunks."""
    text = TEXT[language]
    passages = [index.passage(h) for h in hits]
    scored = score_sentences(index, hits, terms)
    nearest = index.chunks[hits[0].chunk].section if hits else ""
    if not scored or scored[0].score < min_evidence:
        return Answer(text["abstain"].format(section=nearest), language, True, "extractive", [],
                      question=question, passages=passages)
    chosen = [scored[0]]
    for candidate in scored[1:]:
        if len(chosen) == MAX_QUOTES or candidate.score < SECOND_QUOTE_RATIO * scored[0].score:
            break
        chosen.append(candidate)
    chosen.sort(key=lambda c: c.sentence)  # article order reads naturally
    chosen.sort(key=lambda c: c.sentence != scored[0].sentence)  # the best evidence first
    citations, lines = [], [text["lead"]]
    for n, pick in enumerate(chosen, start=1):
        sentence = index.sentences[pick.sentence]
        chunk = index.chunks[sentence.chunk]
        citations.append(Citation(section=chunk.section, quote=sentence.text, article=chunk.article,
                                  marker=n, start=sentence.start, end=sentence.end))
        lines.append(text["quote"].format(quote=sentence.text, n=n, section=chunk.section))
    return Answer("\n".join(lines), language, False, "extractive", citations, question=question, passages=passages)
