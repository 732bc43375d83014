"""`qa translate`: a chat model writes an article's translation, section by section
(prompts/translate_article.md), as `NAME.<lang>.md` beside the article, which is then checked as any
translation is (qa.ingest.translation) and aligned with the article to report its coverage.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.answer.llm.calls import stream_text
from qa.answer.llm.client import make_chat_model
from qa.answer.llm.failures import Failure, classify
from qa.errors import ArticleError, LLMError
from qa.ingest.aligning import Coverage, translation_records
from qa.ingest.article import Article
from qa.ingest.chunking import chunk_article
from qa.ingest.translation import read_translation, translations_of
from qa.settings import Settings
from qa.text.language import detect_language

LANGUAGES = {
    "en": "English",
    "ar": "Arabic",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "tr": "Turkish",
}
_REPLY = re.compile(r"^\s*HEADING\s*:\s*(?P<heading>[^\n]*)\n\s*TEXT\s*:\s*\n?(?P<text>.*?)\s*$", re.DOTALL)


@dataclass(frozen=True)
class Written:
    """What `translate` wrote: the file, its language, and how much of the article it aligns with."""

    path: Path
    lang: str
    sections: int
    coverage: Coverage


def target_path(article: Article, lang: str) -> Path:
    """NAME.<lang>.md beside NAME.txt (or beside NAME.ar.txt: the code is the language's)."""
    path = Path(article.path)
    stem = path.stem.removesuffix(".ar") if path.stem.endswith(".ar") else path.stem
    return path.with_name(f"{stem}.{lang}.md")


def _section(model: Any, settings: Settings, heading: str, text: str, source: str, target: str,
             number: int) -> tuple[str, str]:
    from qa.answer.llm.chain import text_chain

    chain = text_chain(model, "translate_article")
    variables = {"heading": heading, "text": text, "source_language": source, "target_language": target}
    deadline = time.monotonic() + settings.llm_timeout
    attempts = settings.llm_max_retries + 1
    for attempt in range(attempts):
        try:
            reply = "".join(stream_text(chain, variables, first_by=deadline, gap=settings.llm_timeout))
            match = _REPLY.match(reply.strip())
            if match and match.group("heading").strip() and match.group("text").strip():
                return match.group("heading").strip(), match.group("text").strip()
            failure = Failure("malformed")
        except Exception as err:  # noqa: BLE001 - classified below; secrets never leave classify
            failure = classify(err, timeout=settings.llm_timeout, model=settings.llm_model)
        if not failure.retryable or attempt == attempts - 1:
            raise LLMError(f"translating section {number} («{heading}»): {failure}; nothing was written")
        deadline = time.monotonic() + settings.llm_timeout
    raise AssertionError("unreachable")


def translate(article: Article, lang: str, settings: Settings, embeddings: Any, *,
              chat_model: Any | None = None, force: bool = False, say: Any = None) -> Written:
    """Write the article's translation into `lang` and check it; ArticleError when a translation is
    there already (unless `force`), ConfigError when no chat model is configured, LLMError when the
    model fails. Nothing is written before every section is translated."""
    say = say or (lambda _msg: None)
    if lang not in LANGUAGES:
        raise ArticleError(
            article.path, f"no translation into {lang!r}", f"use one of {', '.join(LANGUAGES)}"
        )
    path = target_path(article, lang)
    there = translations_of(Path(article.path)).get(lang) or (path if path.exists() else None)
    if there is not None and not force:
        raise ArticleError(there, "a translation is there already", "pass --force to write it again")
    model = chat_model or make_chat_model(settings)
    source = LANGUAGES.get(detect_language(article.text[:2000]), "Arabic")
    own_title = article.sections[0].heading != article.title
    parts = []
    if own_title:
        title, _ = _section(model, settings, article.title, article.title, source, LANGUAGES[lang], 0)
        parts.append(f"# {title}\n")
    for n, section in enumerate(article.sections, start=1):
        say(f"translating section {n} of {len(article.sections)}")
        heading, text = _section(model, settings, section.heading, section.text, source, LANGUAGES[lang], n)
        parts.append(f"{'#' if n == 1 and not own_title else '##'} {heading}\n{text}\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    try:
        translation = read_translation(article, path, lang, max_bytes=settings.max_article_bytes)
    except ArticleError:
        path.unlink(missing_ok=True)  # a reply that does not fit the article is not left beside it
        raise
    if there is not None and there != path:
        there.unlink()  # --force: the new translation replaces the one in another file
    with_it = Article(article.id, article.title, article.path, article.text, article.sections, (translation,))
    chunks = chunk_article(article, settings.chunk_max_tokens)
    _, coverage = translation_records([with_it], chunks, embeddings.embed_array)
    return Written(path, lang, len(translation.sections), coverage)
