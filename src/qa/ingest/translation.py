"""Translations beside an article: `NAME.<lang>.txt` (or `.md`) next to `NAME.txt` is that article's
translation into `lang` (a two-letter code), not an article of its own. An Arabic article may carry
its own code: `NAME.ar.txt` beside `NAME.en.txt`. A translation has the article's sections in the
same order (the title, the lead's heading, and every heading translated); one that does not fit is
refused with an ArticleError that names both files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from qa.errors import ArticleError
from qa.ingest.article import (
    SUFFIXES,
    Article,
    Section,
    blocks,
    decode,
    is_markdown,
    read_article,
    read_bytes,
)

ORIGINAL = "ar"  # the language code an original may carry in its own name
_LANG = re.compile(r"^(?P<base>.+)\.(?P<lang>[a-z]{2})$")


@dataclass(frozen=True)
class Translation:
    """An article's translation: its text, and one section per section of the article."""

    lang: str
    path: str
    text: str
    sections: tuple[Section, ...]  # spans index `text`; a section's heading is the translated heading

    @property
    def title(self) -> str:
        return self.sections[0].heading if self.sections else ""


def _siblings(base: Path, exclude: Path) -> list[Path]:
    return [p for p in (base.with_name(base.name + s) for s in SUFFIXES) if p != exclude and p.is_file()]


def original_of(path: Path) -> Path | None:
    """The article a file is the translation of, when its name says it is one (`NAME.en.txt` beside
    `NAME.txt` or `NAME.ar.txt`); None for an article. A file named as a translation whose article
    is missing is an ArticleError."""
    match = _LANG.match(path.stem)
    if match is None or path.suffix.lower() not in SUFFIXES:
        return None
    base, lang = path.with_name(match.group("base")), match.group("lang")
    candidates = _siblings(base, path)
    if lang != ORIGINAL:
        candidates += _siblings(base.with_name(base.name + f".{ORIGINAL}"), path)
    if candidates:
        return candidates[0]
    if lang == ORIGINAL:
        return None
    raise ArticleError(
        path,
        f"its name makes it the {lang!r} translation of {base.name}.txt or {base.name}.md, which is missing",
        "add the article beside it, or rename the file without the language code if it is an article "
        "of its own",
    )


def translations_of(article: Path) -> dict[str, Path]:
    """The translation files beside an article, by language code."""
    match = _LANG.match(article.stem)
    bases = [article.with_suffix("")]
    if match is not None and match.group("lang") == ORIGINAL:
        bases.append(article.with_name(match.group("base")))
    found: dict[str, Path] = {}
    for base in bases:
        for path in sorted(article.parent.glob(f"{base.name}.??.*")):
            lang = _LANG.match(path.stem)
            if (lang is not None and path.suffix.lower() in SUFFIXES and path != article
                    and lang.group("lang") not in found and original_of(path) == article):
                found[lang.group("lang")] = path
    return found


def read_translation(article: Article, path: Path, lang: str, *, max_bytes: int) -> Translation:
    """Read and check the translation of `article` at `path`: the same number of sections, and no
    empty section where the article has text. Nothing is indexed before every file is read."""
    fix = (f"fix {path.name} so that it has the sections of {Path(article.path).name}, "
           "then run `qa ingest` again")
    try:
        text = decode(read_bytes(path, max_bytes), path)
    except ArticleError as err:
        raise ArticleError(path, f"the translation of {article.path}: {err.problem}", fix) from None
    found = blocks(text, markdown=is_markdown(path), title=article.id)
    if found and not found[0].text and article.sections[0].heading != article.title:
        found = found[1:]  # a title with no text under it, before the first heading, as in the article
    if len(found) != len(article.sections):
        raise ArticleError(path, f"the translation has {sum(1 for b in found if b.text)} sections and its "
                                 f"article {article.path} has {len(article.sections)}", fix)
    empty = next((b for b in found if not b.text.strip()), None)
    if empty is not None:
        number = found.index(empty) + 1
        raise ArticleError(path, f"section {number} («{empty.heading}») of the translation of "
                                 f"{article.path} is empty where the article has text", fix)
    return Translation(lang, str(path), text, tuple(replace(b, index=n) for n, b in enumerate(found)))


def find_articles(paths: list[Path]) -> list[Path]:
    """The article files among `paths`: folders expanded into their .txt/.md files (sorted), files
    kept as given, each once; a translation stands for its article (`translations_of` finds it)."""
    found: dict[Path, None] = {}
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES) \
            if path.is_dir() else [path]
        for file in files:
            found.setdefault((original_of(file) or file) if file.exists() else file, None)
    return list(found)


def read_with_translations(path: Path, *, max_bytes: int) -> Article:
    """An article file and the translations beside it."""
    article = read_article(path, max_bytes=max_bytes)
    translations = tuple(read_translation(article, file, lang, max_bytes=max_bytes)
                         for lang, file in sorted(translations_of(path).items()))
    return replace(article, translations=translations)
