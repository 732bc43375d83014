"""Check a model's reply sentence by sentence, as it streams.

A sentence is kept only when it cites at least one passage that was in the prompt (`[n]`, n in
1..len(passages)). Markers pointing nowhere are dropped; a sentence left with none is not stated
(it is dropped too). Each kept marker becomes a Citation: the section heading and the verbatim
article sentence of that chunk that best supports the citing sentence (cosine similarity of the
multilingual encoder plus overlap of Arabic-normalised tokens). Markers are renumbered 1, 2, ... in
order of first use, one per distinct quote, so the text's [k] is `Answer.citations[k-1]`.

A sentence in the language of the text it cites must also be supported by it: at least
`SUPPORT_MIN` of its content tokens (Arabic-normalised, light-stemmed, stop words left out) must occur
in the best-supporting sentence of a cited chunk. When the cited chunk does not support it but
another passage of the prompt does, the marker is moved to that passage; otherwise the sentence is
dropped. (An English sentence citing Arabic text cannot be checked this way: the multilingual
encoder's cosine does not separate support from its absence across languages; see `support_min`.)

Also dropped: links, images and URLs (nothing in an answer may fetch from outside), sentences that
repeat or retell the system prompt (in English or Arabic), the abstain token, sentences not in the question's
language, and
sentences with no words besides markers and list numbers ("1 [1].").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from qa import prompts
from qa.answer.llm.packing import Packed
from qa.results import Citation, Language
from qa.retrieval.index import Index
from qa.retrieval.translations import heading
from qa.scoring import SCORING
from qa.text.language import detect_language
from qa.text.normalize import canonical_dates, normalize
from qa.text.words import tokens

ABSTAIN = "NOT_IN_ARTICLE"

_DIGITS = "0-9٠-٩۰-۹"
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# [1], [1, 3], [2-4], [٣], and the variants models write: [Passage 1], 【1】, [المقطع 1]
_MARKER = re.compile(rf"[\[【]\s*(?:(?:passages?|sources?|المقطع|مقطع|الفقرة|فقرة)\s*)?"
                     rf"([{_DIGITS}]+(?:\s*[-–,،]\s*[{_DIGITS}]+)*)\s*[\]】]", re.IGNORECASE)
_MARKS = r"(?:\s*[\[【][^\[\]【】\n]{0,30}[\]】]?)*"
_END = re.compile(rf"[.!?؟…]+[\"'»”’)]*(?P<marks>{_MARKS})")
_ABBREVIATIONS = {"u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "vs", "no", "jr", "sr"}
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_HTML = re.compile(
    r"<\s*/?\s*(?:img|a|iframe|script|svg|image|source|link|object|embed)\b[^>]*>?", re.IGNORECASE
)
_URL = re.compile(
    r"(?:https?|ftp|file|data|javascript)\s*:\s*/*[^\s\])>»\"']*|www\.[^\s\])>»\"']+", re.IGNORECASE
)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
_LETTERS = re.compile(r"[A-Za-z\u0621-\u064a]")
_LEAK_WORDS = ("article_passages", "system prompt", "my instructions")  # talk about the prompt itself
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_THINK_OPEN = "<think>"
_WORD_LETTER = re.compile(r"[^\W\d_]")
# SCORING.llm.support_min: the share of an answer sentence's content tokens that its cited sentence must
# contain. Measured on the
# test fixtures (seed article and the poisoned article of tests/answer/test_injection.py): supported Arabic
# answer sentences share 0.67-1.00 of their tokens with the cited sentence (shortest: "الشيباني اتصل
# بروبيو", 2 of 3); the system prompt retold in Arabic shares 0.00-0.20 with the best sentence it
# cites. Cosine similarity across languages was measured too and does not separate: the supported
# "Shaibani called Rubio" scores -0.01 against its Arabic sentence, unsupported rules up to 0.33.
# SCORING.llm.echo_share and echo_min_tokens: a sentence of at least echo_min_tokens content tokens,
# echo_share of which are one rule sentence's
# (English prompt or its Arabic rendering), retells that rule. Measured: retold rules in either
# language share 0.60-1.00 (the one at 0.50 is caught by the support check); answers in the test
# fixtures share at most 0.20, and sentences of the seed and poisoned articles at most 0.33.


def markers(text: str) -> list[int]:
    """The passage numbers cited by `[n]`, `[n, m]` and `[n-m]` markers, in order."""
    out: list[int] = []
    for match in _MARKER.finditer(text):
        for part in re.split(r"\s*[,،]\s*", match.group(1).translate(_ASCII_DIGITS)):
            if re.fullmatch(r"\d+\s*[-–]\s*\d+", part):
                low, high = (int(x) for x in re.split(r"\s*[-–]\s*", part))
                out.extend(range(low, min(high, low + 20) + 1))
            elif part.strip().isdigit():
                out.append(int(part))
    return out


def strip_markup(text: str) -> str:
    """No images, links (their text stays), HTML tags or URLs."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(
        lambda m: m.group(1) if not _MARKER.fullmatch(f"[{m.group(1)}]") else f"[{m.group(1)}]", text
    )
    text = _HTML.sub("", text)
    return _URL.sub("", text)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize(text))


@lru_cache(maxsize=1)
def _prompt_ngrams() -> frozenset[tuple[str, ...]]:
    """Word n-grams of the system prompt (fixed text)."""
    words = _words(prompts.render("system"))
    return frozenset(
        tuple(words[i : i + SCORING.llm.leak_ngram]) for i in range(len(words) - SCORING.llm.leak_ngram + 1)
    )


@lru_cache(maxsize=1)
def _rule_sentences() -> tuple[frozenset[str], ...]:
    """Content tokens of each sentence of the system prompt and of its Arabic rendering
    (prompts/system_echo_ar.md: never sent to a model, only compared with answers)."""
    out = []
    for name in ("system", "system_echo_ar"):
        for line in prompts.render(name).splitlines():
            for _, sentence in cut(line, final=True)[0]:
                words = frozenset(tokens(sentence, drop_stopwords=True))
                if len(words) >= SCORING.llm.echo_min_tokens:
                    out.append(words)
    return tuple(out)


def echoes_prompt(text: str) -> bool:
    """True when `text` repeats a run of the system prompt, retells one of its sentences (in
    English or Arabic: most of its content tokens are that sentence's), or talks about the prompt."""
    lowered = text.lower()
    if any(word in lowered for word in _LEAK_WORDS):
        return True
    words = _words(text)
    grams = _prompt_ngrams()
    if any(
        tuple(words[i : i + SCORING.llm.leak_ngram]) in grams
        for i in range(len(words) - SCORING.llm.leak_ngram + 1)
    ):
        return True
    own = set(tokens(_MARKER.sub(" ", text), drop_stopwords=True))
    if len(own) < SCORING.llm.echo_min_tokens:
        return False
    return any(len(own & rule) >= SCORING.llm.echo_share * len(own) for rule in _rule_sentences())


def visible(raw: str, *, final: bool = False) -> str:
    """The reply without reasoning blocks (`<think>...</think>`, as reasoning models write them).
    Unless `final`, an unclosed block and a tag still arriving at the end are held back."""
    text = _THINK.sub("", raw)
    opened = text.find(_THINK_OPEN)
    if opened >= 0:
        text = text[:opened]
    elif not final:
        for n in range(min(len(text), len(_THINK_OPEN) - 1), 0, -1):
            if _THINK_OPEN.startswith(text[-n:]):
                return text[:-n]
    return text


def language_of(text: str) -> str | None:
    """The language of a sentence's own words (quotes and markers left out); None when too short."""
    own = _MARKER.sub(" ", _QUOTED.sub(" ", text))
    if len(_LETTERS.findall(own)) < 3:
        return None
    return detect_language(own)


def cut(text: str, final: bool) -> tuple[list[tuple[bool, str]], str]:
    """Complete sentences at the front of `text`, each as (starts a new line, text), and the rest.

    A sentence ends at . ! ? ؟ … (with any closing quotes and [n] markers after it) followed by
    white space, or at a line break. Unless `final`, the last piece is held back until what follows
    it shows that it is complete (so a marker that is still arriving stays with its sentence)."""
    out: list[tuple[bool, str]] = []
    pos, new_line = 0, False
    while pos <= len(text):
        nl = text.find("\n", pos)
        line_end = nl if nl >= 0 else len(text)
        start = pos
        for match in _END.finditer(text, pos, line_end):
            if not _is_boundary(text, match, line_end, final or nl >= 0):
                continue
            if text[start:match.end()].strip():
                out.append((new_line, text[start:match.end()]))
                new_line = False
            start = match.end()
        if nl < 0 and not final:
            return out, ("\n" if new_line else "") + text[start:]
        if text[start:line_end].strip():
            out.append((new_line, text[start:line_end]))
        new_line = True
        pos = line_end + 1
    return out, ""


def _is_boundary(text: str, match: re.Match[str], line_end: int, line_complete: bool) -> bool:
    end = match.end()
    before = re.search(r"(\w+(?:\.\w+)*)$", text[:match.start()])
    if match.group(0).startswith(".") and before is not None:
        word = before.group(1).lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word.isascii()):
            return False
    marks = match.group("marks")
    if marks.count("[") + marks.count("【") != marks.count("]") + marks.count("】"):
        return False  # a marker still arriving: "[1" with no "]" yet
    rest = text[end:line_end]
    if not rest.strip():
        return line_complete
    return rest[0].isspace() and not rest.lstrip().startswith(("[", "【"))


@dataclass
class Supporter:
    """Finds the article sentence of a chunk that best supports an answer sentence."""

    index: Index
    _vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def _embed(self, texts: Sequence[str]) -> list[np.ndarray]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            vectors = np.asarray(self.index.embeddings.embed_documents(
                [canonical_dates(t) for t in missing]), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            for text, vector in zip(missing, vectors / np.where(norms > 0, norms, 1.0), strict=True):
                self._vectors[text] = vector
        return [self._vectors[t] for t in texts]

    def best(self, chunk: int, claim: str) -> int:
        """The index (into Index.sentences) of the chunk sentence that best supports `claim`."""
        candidates = list(self.index.chunks[chunk].sentences)
        if not candidates:
            raise ValueError(f"chunk {chunk} has no sentences")
        if len(candidates) == 1:
            return candidates[0]
        texts = [self.index.sentences[s].text for s in candidates]
        claim_vector, *vectors = self._embed([claim, *texts])
        claim_tokens = set(tokens(claim, drop_stopwords=True))
        claim_norm = normalize(claim)
        best, best_score = candidates[0], -np.inf
        for s, text, vector in zip(candidates, texts, vectors, strict=True):
            overlap = len(claim_tokens & set(self.index.sentences[s].tokens)) / max(1, len(claim_tokens))
            quoted = 1.0 if normalize(text).rstrip(".؟!") in claim_norm else 0.0
            score = float(claim_vector @ vector) + overlap + quoted
            if score > best_score:
                best, best_score = s, score
        return best


@dataclass
class ReplyChecker:
    """Feed it the reply as it streams; it hands back the checked text, ready to show."""

    passages: list[Packed]
    index: Index
    language: Language
    supporter: Supporter
    citations: list[Citation] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    abstained: bool = False  # the model said the passages do not answer
    raw: str = ""
    _buffer: str = ""
    _fed: int = 0  # characters of the visible reply already in the buffer
    _keys: dict[tuple[int, int], int] = field(default_factory=dict)

    def feed(self, piece: str) -> str:
        """Checked text that became complete with `piece` (often empty)."""
        self.raw += piece
        self._take(visible(self.raw))
        sentences, self._buffer = cut(self._buffer, final=False)
        return "".join(self._check(new_line, s) for new_line, s in sentences)

    def finish(self) -> str:
        self._take(visible(self.raw, final=True))
        sentences, self._buffer = cut(self._buffer, final=True)
        return "".join(self._check(new_line, s) for new_line, s in sentences)

    def _take(self, text: str) -> None:
        self._buffer += text[self._fed:]
        self._fed = max(self._fed, len(text))

    @property
    def text(self) -> str:
        return "".join(self.kept).strip()

    def _drop(self, why: str) -> str:
        self.dropped[why] = self.dropped.get(why, 0) + 1
        return ""

    def _check(self, new_line: bool, sentence: str) -> str:
        if ABSTAIN in sentence or ABSTAIN.lower() in sentence.lower().replace(" ", "_"):
            self.abstained = True
            return self._drop("abstain")
        body = strip_markup(sentence)
        if echoes_prompt(body):
            return self._drop("echo")
        cited = [n for n in dict.fromkeys(markers(body)) if 1 <= n <= len(self.passages)]
        if not cited:
            return self._drop("uncited")
        language = language_of(body)
        if language is not None and language != self.language:
            return self._drop("language")
        claim = _MARKER.sub(" ", body)
        if not _WORD_LETTER.search(claim):
            return self._drop("empty")  # only markers, numbers and punctuation: "1 [1]."
        moved = self._support(claim, cited)
        if moved is None:
            return self._drop("unsupported")
        numbers = {n: self._cite(moved.get(n, n), claim) for n in cited}
        text = _MARKER.sub(lambda m: "".join(dict.fromkeys(f"[{numbers[n]}]" for n in markers(m.group(0))
                                                           if n in numbers)), body)
        text = re.sub(r"[ \t]{2,}", " ", text)
        text = re.sub(r"\s+([.,،؛;:!?؟])", r"\1", text).rstrip()
        if not text.strip():
            return self._drop("empty")
        if not self.kept:
            text = text.lstrip()
        elif new_line:
            text = "\n" + text.lstrip()
        elif not text[0].isspace():
            text = " " + text
        self.kept.append(text)
        return text

    def _support(self, claim: str, cited: list[int]) -> dict[int, int] | None:
        """None when `claim` is not supported; else the cited passage numbers to replace (when
        another passage of the prompt, not the cited one, is what supports the claim)."""
        wanted = set(tokens(claim, drop_stopwords=True))
        language = language_of(claim)
        if not wanted or language is None:
            return {}
        found: set[str] = set()
        checkable = False
        for n in cited:
            sentence = self.index.sentences[self.supporter.best(self.passages[n - 1].chunk, claim)]
            if detect_language(sentence.text) == language:
                checkable = True
                found |= wanted & set(sentence.tokens)
        if not checkable or len(found) >= SCORING.llm.support_min * len(wanted):
            return {}
        best, best_share = 0, 0.0
        for packed in self.passages:
            for s in self.index.chunks[packed.chunk].sentences:
                share = len(wanted & set(self.index.sentences[s].tokens)) / len(wanted)
                if share > best_share:
                    best, best_share = packed.number, share
        if best_share < SCORING.llm.support_min:
            return None
        return dict.fromkeys(cited, best)

    def _cite(self, number: int, claim: str) -> int:
        packed = self.passages[number - 1]
        sentence_index = self.supporter.best(packed.chunk, claim)
        key = (packed.chunk, sentence_index)
        if key not in self._keys:
            sentence = self.index.sentences[sentence_index]
            chunk = self.index.chunks[packed.chunk]
            self._keys[key] = len(self.citations) + 1
            translated = self.index.translations.get(self.language)
            self.citations.append(Citation(
                section=chunk.section, quote=sentence.text, article=chunk.article, marker=self._keys[key],
                start=sentence.start, end=sentence.end,
                translation=translated.sentence_text([sentence_index]) if translated is not None else None,
                section_translation=heading(translated, chunk)))
        return self._keys[key]
