"""A question's content terms in the article's own words: its Arabic words as the index has them
(clitics and verb affixes aside: `Vocabulary.known`), and for each foreign word the article's
words nearest to it (the word bridge of qa.text.bridge) and those its dictionary senses give
(qa.text.dictionary), a name's by its consonants (qa.text.names), a place's by the Latin names
GeoNames gives it (qa.text.places). What retrieval (qa.retrieval.index) and the answerer
(qa.answer) match and weigh; qa.question.query asks for them once per text of a question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from qa.errors import IndexUnavailableError
from qa.question.article_part import part_tokens
from qa.question.query import Term
from qa.scoring import SCORING, Bridge
from qa.store.chroma import words_of
from qa.text import aliases, bridge, dialect, names
from qa.text.morphology import derived_nouns, verbs_of
from qa.text.normalize import canonical_dates
from qa.text.words import stem, tokens

# beyond the stemmer's
_EXTRA_PREFIXES = ("وب", "ول", "وك", "فب", "فل", "هال", "عال", "ب", "ل", "ك", "ف", "س")
_VERB_PREFIXES = "يتن"  # present tense: he/she/we
_MORE_SUFFIXES = ("ت", "وا", "هم", "هن", "كم", "نا")  # past tense she/they, pronouns them/you/us


def trust(terms: Sequence[Term]) -> float:
    """How far exact matching can be trusted: the share of the question's term weight that is its
    own words rather than translations (1 for an Arabic question, near 0 for an English one).
    Measured on XQuAD: lexical signals help ar->ar beyond dense, but bridged words are noisy."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if not t.translated) / total if total > 0 else 0.0


class Vocabulary:
    """What the index knows of words: each token's idf, the article's vocabulary in Chroma (for the
    word bridge), the Latin names of its places, and whether to read the English-Arabic dictionary.
    `embed(texts)` gives the encoder's vectors of texts as rows: a question and its foreign words'
    forms are embedded in one call, and the question's vector is handed back with its terms."""

    def __init__(self, idf: dict[str, float], unseen_idf: float, store: Any | None,
                 places: dict[str, tuple[str, ...]], embed: Callable[[list[str]], np.ndarray],
                 where: str, use_dictionary: bool = True, surface: frozenset[str] = frozenset(),
                 weights: Bridge = SCORING.bridge) -> None:
        self.idf = idf
        self.surface = surface  # the article's words as written (normalised): content, whatever their stem
        self.unseen_idf = unseen_idf
        # the vocabulary's chromadb collection, queried directly: langchain-chroma's wrapper adds
        # nothing to one query but imports LangChain's tracers (0.4-0.6 s of a cold `qa ask`)
        self.store = store  # None: nothing to bridge to
        self.bridge = store is not None
        self._places = places  # a place's Latin name -> the article's word for it
        self._embed = embed
        self.weights = weights
        self._where = where
        self.use_dictionary = use_dictionary  # add qa.text.dictionary's senses to the bridge's words
        self._skeletons: dict[str, list[str]] = {}
        for tok in idf:
            if len(tok) >= weights.min_name_letters and not tok.isascii():
                self._skeletons.setdefault(names.skeleton_arabic(tok), []).append(tok)
        self._by_tail: dict[str, list[str]] = {}
        self._by_head: dict[str, list[str]] = {}
        for tok in idf:
            if len(tok) >= 3 and not tok.isascii():
                self._by_tail.setdefault(tok[-3:], []).append(tok)
                self._by_head.setdefault(tok[:3], []).append(tok)

    def known(self, token: str) -> tuple[str, ...]:
        """The index tokens a question token stands for: itself when the index has it. Else, for an
        Arabic word, the index words it becomes
        - without a clitic the light stemmer keeps (بتدمر -> تدمر, لمكافحة -> مكافح), or stemmed
          once more (الوزير -> وزير -> زير, هاتفياً -> هاتف);
        failing that, the index words of its MSA form when it is a Levantine word (عساكر -> جنود:
        qa.text.dialect); failing that, the index words that
        - end with it after one or two letters (قتل -> مقتل);
        - add one letter to it (a verb's ending: ساعد -> ساعدت);
        - it is with a verb's or pronoun's affix off (يتعامل -> تعامل, قتلوا -> قتل), or in another
          person of the verb (يحتاج -> تحتاج; a leading ت only so, since it may be the verb's own);
        - it is a form VII passive, as Levantine makes them (انقتل "got killed" -> قتل -> مقتل): the
          word without its ان, looked up as above;
        - or, failing all that, they are a derived verb's verbal noun or participle (يأثر -> تاثير,
          تلتزم -> التزام, اعتبر -> معتبرا: qa.text.morphology.derived_nouns)."""
        if token in self.idf or token.isascii() or len(token) < 3:
            return (token,)
        found = []
        for prefix in _EXTRA_PREFIXES:
            rest = token[len(prefix):]
            if token.startswith(prefix) and len(rest) >= 3:
                for candidate in (rest, stem(rest)):
                    if candidate in self.idf:
                        found.append(candidate)
                        break
        # stemmed once more: a root-initial و the stemmer strips only from a bare word (الوزير ->
        # وزير, but وزير -> زير), and the adverbial accusative alif (هاتفيا -> هاتفي -> هاتف)
        for candidate in (stem(token), stem(token[:-1]) if token.endswith("ا") else ""):
            if candidate in self.idf:
                found.append(candidate)
        if not found:  # a Levantine word, in the article's MSA (qa.text.dialect: عساكر -> جنود)
            found = [
                t
                for word in dialect.msa(token, _EXTRA_PREFIXES)
                for tok in tokens(word, drop_stopwords=True)
                for t in self.known(tok)
                if t in self.idf
            ]
        if not found:
            found = [
                t for t in self._by_tail.get(token[-3:], ()) if t.endswith(token) and len(t) - len(token) <= 2
            ]
        if not found:
            found = [
                t
                for t in self._by_head.get(token[:3], ())
                if t.startswith(token) and len(t) - len(token) == 1
            ]
        if not found:  # a verb's or pronoun's affix the light stemmer keeps (يتعامل, حضروا, محاولتهم)
            candidates = []
            if token[0] in _VERB_PREFIXES:  # without it, or in another person (يحتاج -> تحتاج)
                # a leading ت may be the stem's own (form V/VI past tense: تحدث "spoke" is not حدث
                # "happened"), so it is only swapped for another person's prefix, never dropped
                bare = [token[1:]] if token[0] != "ت" else []
                candidates = [*bare, *(p + token[1:] for p in _VERB_PREFIXES if p != token[0])]
            candidates += [token[: -len(suffix)] for suffix in _MORE_SUFFIXES if token.endswith(suffix)]
            found = [c for c in candidates if len(c) >= 3 and c in self.idf]
        if not found and token.startswith("ان") and len(token) >= 5:  # form VII passive: انقتل, انضربوا
            found = [t for t in self.known(token[2:]) if t in self.idf]
        if not found:  # a derived verb whose verbal noun or participle the article uses (يأثر -> تأثيرات)
            found = [t for t in derived_nouns(token) if t in self.idf]
        return tuple(dict.fromkeys(found)) or (token,)

    def read_terms(self, text: str, content: str, part: str | None) -> tuple[list[Term], np.ndarray | None]:
        """The question's content terms, and its vector when the bridge embedded it: a term for the
        article part it names (`part`), and for its content words (`content`: the question without
        the words that frame it, qa.question.query) its own normalised Arabic and number tokens
        (see `known`), and for each foreign word the article's Arabic words nearest to it (see
        qa.text.bridge). What kind of answer the question wants (a date for "when") is the
        answerer's business, not a term."""
        out = []
        if part is not None:  # "the conclusion": one term, which the sentences there all hold
            out.append(self.part_term(part))
        by_alias, read = self.alias_terms(content)
        out += by_alias
        for tok in dict.fromkeys(tokens(content, drop_stopwords=True, keep=self.surface)):
            if tok in read:
                continue
            if not tok.isascii() or tok.isdigit() or tok in self.idf:  # a Latin word the article has too
                toks = self.known(tok)
                weight = max(self.idf.get(t, self.unseen_idf) for t in toks)
                # the verb a verbal noun comes from counts as the word too (الاتصال ~ اتصل)
                toks = tuple(dict.fromkeys([*toks, *(v for t in toks for v in verbs_of(t) if v in self.idf)]))
                out.append(Term(toks, weight))
        words = [
            w for w in bridge.foreign_words(content) if w.lower() not in self.idf and w.lower() not in read
        ]
        if not self.bridge or not words:
            return out, None
        question: list[np.ndarray] = []

        def embed(forms: list[str]) -> np.ndarray:  # the question and its word forms in one encoder call
            vectors = np.asarray(self._embed([canonical_dates(text), *forms]), dtype=np.float32)
            question.append(vectors[0])
            return vectors[1:]

        try:
            translations = bridge.translate(words, embed, self.nearest_words, self.weights)
        except Exception as err:
            raise IndexUnavailableError(
                f"querying the index at {self._where} failed ({type(err).__name__}): "
                "run `qa ingest --rebuild`"
            ) from err
        capitalised = set(names.names(text))
        spelled = self.spelled_like(text, capitalised)
        for tr in translations:
            known = [t for t in tr.tokens if t in self.idf]
            confidence = bridge.confidence(tr.cos, self.weights)
            low = tr.word.lower()
            as_place = self._places.get(low, ())
            named = [*spelled.get(low, ()),
                     *(as_place if as_place and names.likely_name(low, capitalised) else ())]
            if named:  # a name: spelled like an article word, or a place GeoNames calls so
                known = list(dict.fromkeys([*named, *known]))
                confidence = max(confidence, self.weights.name_confidence)
            known = list(dict.fromkeys([*known, *self.dictionary_tokens(tr.word)]))
            weight = max((self.idf[t] for t in known), default=self.unseen_idf)
            out.append(Term(tuple(known), weight, confidence, translated=True))
        return out, question[-1] if question else None

    def alias_terms(self, content: str) -> tuple[list[Term], set[str]]:
        """A term for each other name of an organisation or state the question uses where the
        article has another (qa.text.aliases: «داعش» -> تنظيم الدولة الإسلامية), and the question's
        tokens and words those names took, which are not read again. An alias the article has
        itself, or whose meaning it lacks a word of (قسد -> قوات سوريا الديمقراطية: قوات and سوريا
        alone are not it), is left to the other lookups."""
        out: list[Term] = []
        read: set[str] = set()
        for matched, alias in aliases.find(content):
            own = tokens(matched)
            if own and all(t in self.idf for t in own):
                continue
            meaning = [self.known(w) for w in tokens(alias.meaning, drop_stopwords=True)]
            toks = tuple(dict.fromkeys(t for found in meaning for t in found if t in self.idf))
            # the article names it
            if meaning and all(any(t in self.idf for t in found) for found in meaning):
                out.append(Term(toks, max(self.idf[t] for t in toks), translated=matched.isascii()))
                read.update(own, matched.split())
        return out, read

    def dictionary_tokens(self, word: str) -> list[str]:
        """The index tokens of a foreign word's short dictionary senses (qa.text.dictionary), looked up as
        typed and in its base form ("warnings", "warning"); a sense of more than `max_sense_tokens`
        content words is an explanation, not a translation."""
        if not self.use_dictionary:
            return []
        # imported here, not at the top: `python -m qa.text.dictionary` (the table's builder) runs cleanly
        from qa.text import dictionary

        senses = next(
            (found for form in (word, *bridge.variants(word)[1:]) if (found := dictionary.senses(form))), ()
        )
        out: list[str] = []
        for sense in senses:
            words = tokens(sense, drop_stopwords=True)
            if len(words) <= self.weights.max_sense_tokens:
                out += [t for w in words for t in self.known(w) if t in self.idf]
        return list(dict.fromkeys(out))

    def part_term(self, part: str) -> Term:
        """The term a question naming a part of the article has ("the conclusion": "end"), which
        every sentence of that part holds (qa.retrieval.lexical)."""
        return Term((part_tokens()[part],), self.unseen_idf)

    def nearest_words(self, vectors: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """For each vector, the k nearest vocabulary words and their cosines, best first: one Chroma
        query for all of a question's word forms
        (measured: 1.2 ms for six forms, 6.8 ms as six `similarity_search_by_vector` calls)."""
        if not len(vectors) or self.store is None:
            return []
        got = self.store.query(query_embeddings=np.asarray(vectors, dtype=np.float32), n_results=k,
                               include=["documents", "metadatas", "distances"])
        return [[(word, 1.0 - float(distance)) for word, distance in zip(
                    words_of({"documents": docs, "metadatas": metas}), distances, strict=True)]
                # distance: 1 - cos
                for docs, metas, distances in zip(got["documents"], got["metadatas"], got["distances"],
                                                  strict=True)]

    def spelled_like(self, text: str, capitalised: set[str] | None = None) -> dict[str, tuple[str, ...]]:
        """For each foreign word that is a likely name (capitalised, or not a common English word:
        "rubio"), the index's Arabic words with the same consonant skeleton (see
        qa.text.names.skeleton_latin), when there are at most a few."""
        out = {}
        capitalised = set(names.names(text)) if capitalised is None else capitalised
        for word in names.latin_words(text):
            key = names.skeleton_latin(word)
            found = self._skeletons.get(key, []) if len(key) >= 2 else []
            if 0 < len(found) <= 3 and names.likely_name(word, capitalised):
                out[word] = tuple(found)
        return out
