"""The default answerer: pick the article's own sentences that answer the question and quote them
verbatim, each cited to its section heading. No model, no network.

Sentences are scored by qa.answer.sentences. When no sentence's evidence reaches `min_evidence`, or
the question asks for a clock time or a length of time that no candidate holds, the answer
abstains and names the nearest section. When the best answer is unsure (evidence near the
threshold, or two sections close), the second encoder's cosines are mixed in and the sentences are
scored again (qa.store.second_encoder; it costs ~10 ms, so only then).
"""

from __future__ import annotations

from dataclasses import replace

from qa.answer import messages
from qa.answer.clauses import text_of, whole
from qa.answer.sentences import Scored, antecedent, score_sentences, unsure
from qa.question.kinds import REQUIRED_KINDS
from qa.question.query import Query, Reading
from qa.results import Answer, Citation
from qa.retrieval.index import Index
from qa.retrieval.records import Hit
from qa.retrieval.translations import heading
from qa.scoring import SCORING, Answering
from qa.settings import Settings
from qa.text.normalize import normalize


def without_echo(index: Index, hits: list[Hit], own: Reading, said: tuple[str, ...], second: bool = False,
                 language: str = "") -> list[Hit]:
    """The hits with the cosine of each sentence the last answer quoted (and of its translation)
    taken against the question's own words alone: a query that carries a quote matches the quoted
    sentence itself best."""
    echoed = [s for h in hits for s in h.sentence_cos
              if any(q and q in normalize(index.sentences[s].text) for q in said)]
    if not echoed:
        return hits
    cos = index.cosines(own, echoed, second=second)
    tcos, tcover = index.translated_match(own, language, echoed)
    return [replace(h, sentence_cos={s: cos.get(s, c) for s, c in h.sentence_cos.items()},
                    translated_cos={s: tcos.get(s, c) for s, c in h.translated_cos.items()},
                    translated_cover={s: tcover.get(s, c) for s, c in h.translated_cover.items()})
            for h in hits]


def part_best(index: Index, hits: list[Hit], part: Reading, language: str, second: bool,
              w: Answering) -> Scored:
    """The best sentence among the hits' for one part of a compound question (`second`: with the
    second encoder's cosines, as the whole question's were), by the part's own match."""
    sentences = [s for h in hits for s in index.chunks[h.chunk].sentences]
    cos = index.cosines(part, sentences, second=second)
    tcos, tcover = index.translated_match(part, language, sentences)

    def own(hit: Hit) -> Hit:
        mine = index.chunks[hit.chunk].sentences
        return replace(hit, sentence_cos={s: cos[s] for s in mine},
                       translated_cos={s: tcos[s] for s in mine if s in tcos},
                       translated_cover={s: tcover[s] for s in mine if s in tcover})

    return score_sentences(index, [own(h) for h in hits], part.terms, part, None, w)[0]


def _missing_kind(index: Index, scored: list[Scored], required: frozenset[str]) -> bool:
    """Whether a kind of answer the question requires is held by none of the candidate sentences."""
    return any(not any(index.holds(kind, x.sentence) for x in scored) for kind in required)


def _related(index: Index, scored: list[Scored], language: str, w: Answering) -> list[Citation]:
    """The sentences closest to what was asked (with the clauses their sentence goes on by), as
    related reading for an abstention: `w.related` of them, each from another section."""
    translated = index.translations.get(language)
    out: list[Citation] = []
    sections: set[tuple[str, int]] = set()
    for pick in scored:
        chunk = index.chunks[index.sentences[pick.sentence].chunk]
        if len(out) == w.related or (chunk.article_id, chunk.section_index) in sections:
            continue
        sections.add((chunk.article_id, chunk.section_index))
        quote = whole(index, pick.sentence, w.clause_marks)
        first, last = index.sentences[quote[0]], index.sentences[quote[-1]]
        translation = translated.sentence_text(list(quote)) if translated is not None else None
        out.append(Citation(section=chunk.section, quote=text_of(index, quote), article=chunk.article,
                            start=first.start, end=last.end, translation=translation,
                            section_translation=heading(translated, chunk)))
    return out


def answer(index: Index, query: Query, found: list[Hit], min_evidence: float, passages_shown: int = 0,
           w: Answering = SCORING.answering) -> Answer:
    """An extractive Answer from the chunks retrieval `found` for the query (ask for `w.pool` of
    them); `passages_shown` limits the passages the Answer lists (0: all)."""
    language, follow_up = query.language, query.follow_up
    own = follow_up.own if follow_up is not None else None
    hits = (
        without_echo(index, found, own, follow_up.quoted, language=language)
        if follow_up is not None and own is not None
        else found
    )
    shown = hits[:passages_shown] if passages_shown else hits
    passages = [index.passage(h) for h in shown]
    scored = score_sentences(index, hits, query.terms, query.asked, follow_up, w)
    second = index.second is not None and unsure(index, scored, min_evidence, w)
    if second:  # the same hits, their cosines mixed with the second encoder's
        hits = index.with_evidence(query.search, found)
        if follow_up is not None and own is not None:
            hits = without_echo(index, hits, own, follow_up.quoted, second=True, language=language)
        scored = score_sentences(index, hits, query.terms, query.asked, follow_up, w)
    nearest = ""
    if hits:
        chunk = index.chunks[hits[0].chunk]
        nearest = heading(index.translations.get(language), chunk) or chunk.section
    # abstain when nothing in the article is close enough, whichever sentence ranks first, or when
    # the question asks for a clock time or a length of time and no candidate sentence holds one
    if (not scored or max(x.evidence for x in scored) < min_evidence
            or _missing_kind(index, scored, query.asked.kinds & REQUIRED_KINDS)):
        return Answer(messages.abstain(language, nearest), language, True, "extractive", [],
                      question=query.text, passages=passages,
                      related=_related(index, scored, language, w))
    chosen = [scored[0]]
    for candidate in scored[1:]:
        if len(chosen) == w.max_quotes or candidate.score < w.second_quote_ratio * scored[0].score:
            break
        chosen.append(candidate)
    chosen.sort(key=lambda c: c.sentence)  # article order reads naturally
    chosen.sort(key=lambda c: c.sentence != scored[0].sentence)  # the best evidence first
    if query.compound:  # the best sentence for each part, in the parts' order
        leads = [
            part_best(index, hits, part, language, second, w) for part in query.asked_parts[: w.max_quotes]
        ]
        chosen = list({c.sentence: c for c in leads + chosen}.values())[:w.max_quotes]
    before = antecedent(index, chosen[0].sentence)
    if before is not None and len(chosen) < w.max_quotes and before not in {c.sentence for c in chosen}:
        chosen.insert(1, Scored(before, 0.0, 0.0, 0.0))  # what the best quote points back to
    translated = index.translations.get(language)
    quotes: list[tuple[int, ...]] = []  # each quote: a pick and the clauses its sentence goes on by
    for pick in chosen:
        if not any(pick.sentence in q for q in quotes):
            quotes.append(whole(index, pick.sentence, w.clause_marks))
    quotes = [q for n, q in enumerate(quotes)
              if not any(set(q) < set(other) for other in quotes[:n] + quotes[n + 1:])]
    citations, lines = [], []
    for n, quote in enumerate(quotes, start=1):
        first, last = index.sentences[quote[0]], index.sentences[quote[-1]]
        chunk = index.chunks[first.chunk]
        text = text_of(index, quote)
        translation = translated.sentence_text(list(quote)) if translated is not None else None
        section_translation = heading(translated, chunk)
        citations.append(Citation(section=chunk.section, quote=text, article=chunk.article,
                                  marker=n, start=first.start, end=last.end, translation=translation,
                                  section_translation=section_translation))
        lines.append(messages.TEXT[language]["quote"].format(quote=translation or text, n=n,
                                                             section=section_translation or chunk.section))
    if any(c.translation for c in citations):
        lines.insert(0, messages.TEXT[language]["lead_translated"])
    else:
        lines.insert(0, messages.lead(language, [c.quote for c in citations]))
    return Answer("\n".join(lines), language, False, "extractive", citations, question=query.text,
                  passages=passages)


def respond(index: Index, query: Query, settings: Settings) -> Answer:
    """The extractive reply to a parsed question: a short reply to small talk ("hello", "thanks"),
    else the answer from the passages retrieval finds."""
    if query.smalltalk:  # nothing was asked of the article: not an abstention
        titles = list(dict.fromkeys(c.article for c in index.chunks))
        return Answer(
            messages.smalltalk_reply(query.smalltalk, query.language, titles),
            query.language,
            False,
            "extractive",
            [],
            question=query.text,
        )
    w = SCORING.answering
    found = index.find(query, max(settings.top_k, w.pool))
    return answer(index, query, found, settings.min_evidence, passages_shown=settings.top_k, w=w)
