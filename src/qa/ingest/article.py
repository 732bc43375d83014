"""Read an article file into a title and sections with character offsets.

Plain text: the first line is the title when it looks like a heading; later headings are short
lines without sentence punctuation. Markdown: `#` headings. Offsets index `Article.text`, which is
the file decoded as UTF-8 with a BOM removed and CRLF/CR turned into LF.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qa.errors import ArticleError

SUFFIXES = (".txt", ".md", ".markdown")
_HEADING_MAX_CHARS = 90
_HEADING_MAX_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?؟؛;:،,…]\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
_FIX = "fix or remove the file and run `qa ingest` again (the current index is kept)"


@dataclass(frozen=True)
class Section:
    index: int
    heading: str
    text: str  # the body, without the heading line
    start: int  # span of the body in Article.text
    end: int
    heading_start: int
    heading_end: int


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    path: str
    text: str
    sections: tuple[Section, ...]
    translations: tuple[Any, ...] = field(default=())  # qa.ingest.translation.Translation, by language

    def translation(self, lang: str) -> Any | None:
        """The translation into `lang`, or None."""
        return next((t for t in self.translations if t.lang == lang), None)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(data: bytes, path: object) -> str:
    """UTF-8 text with BOM and CRLF removed, or an ArticleError that says what is wrong.

    Characters a reader cannot see and that only serve to hide or reorder text are dropped, so
    they can never reach an answer: control characters other than tab and newline, bidi
    embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) and Unicode tag
    characters (U+E0000-U+E007F). Offsets index the text after this clean-up."""
    if not data.strip():
        raise ArticleError(path, "the file is empty", _FIX)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ArticleError(
            path, "the file is UTF-16 text, not UTF-8", "save it as UTF-8 and run `qa ingest` again"
        )
    if b"\x00" in data[:8192]:
        raise ArticleError(path, "the file is binary (it has NUL bytes), not text", _FIX)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(
            path, f"not UTF-8 (bad byte at offset {err.start})", "save it as UTF-8 and run `qa ingest` again"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ArticleError(path, f"the file is binary ({controls:,} control characters), not text", _FIX)
    text = _HIDDEN.sub("", text)
    if not any(ch.isalnum() for ch in text):
        raise ArticleError(path, "the file has no words in it", _FIX)
    return text


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or an ArticleError: missing, not a file, unreadable, over `max_bytes`."""
    if not path.exists():
        raise ArticleError(path, "no such file", "check the path (QA_ARTICLES or `qa ingest PATH`)")
    if not path.is_file():
        raise ArticleError(path, "not a regular file", "pass .txt/.md files or folders of them")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise ArticleError(
            path, f"cannot be read ({type(err).__name__}: {err.strerror or err})", _FIX
        ) from None
    if len(data) > max_bytes:
        size = max(len(data), _size(path))
        raise ArticleError(
            path,
            f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit",
            "split it or raise QA_MAX_ARTICLE_BYTES",
        )
    return data


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")


def read_article(path: str | Path, *, max_bytes: int = 5_000_000) -> Article:
    """Parse one `.txt` or `.md` file (its translations are read by qa.ingest.translation). Raises
    ArticleError for anything unusable."""
    path = Path(path)
    text = decode(read_bytes(path, max_bytes), path)
    return parse(text, article_id=path.stem, path=str(path), markdown=is_markdown(path))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def blocks(text: str, *, markdown: bool, title: str) -> list[Section]:
    """Every heading and the text under it, in order, also a heading with nothing under it (its
    section's text is empty). A first block without a heading takes `title`, or the first heading."""
    lines = _lines(text)
    headings = [_heading_of(line, markdown) for _, _, line in lines]
    first = next((i for i, (_, _, line) in enumerate(lines) if line.strip()), None)
    # A plain-text first line is the title when it is heading-like, whatever follows it.
    if (
        first is not None
        and not markdown
        and headings[first] is None
        and _looks_like_heading(lines[first][2])
    ):
        headings[first] = lines[first][2].strip()

    found: list[tuple[str | None, int, int, list[tuple[int, int, str]]]] = []
    for (start, end, line), heading in zip(lines, headings, strict=True):
        if heading is not None:
            found.append((heading, start, end, []))
        elif line.strip():
            if not found:
                found.append((None, start, start, []))
            found[-1][3].append((start, end, line))

    # Only headings: the short lines are the content, not headings.
    if found and not any(body for *_, body in found):
        content = [(s, e, ln) for s, e, ln in lines if ln.strip()]
        found = [(None, content[0][0], content[0][0], content)]

    title = (found[0][0] if found else None) or title
    out = []
    for n, (heading, h_start, h_end, body) in enumerate(found):
        start, end = (body[0][0], body[-1][1]) if body else (h_end, h_end)
        out.append(Section(n, heading if heading is not None else title, text[start:end], start, end,
                           h_start, h_end))
    return out


def parse(text: str, *, article_id: str, path: str = "", markdown: bool = False) -> Article:
    """Split already decoded text into sections. See the module docstring for the rules. A heading
    with nothing under it (a Markdown title followed by a heading) is no section."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found = blocks(text, markdown=markdown, title=article_id)
    title = found[0].heading if found else article_id
    sections = tuple(replace(b, index=n) for n, b in enumerate(b for b in found if b.text))
    if not sections:
        raise ArticleError(path or article_id, "no paragraphs of text were found", _FIX)
    return Article(id=article_id, title=title, path=path, text=text, sections=sections)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        stripped_start = pos + (len(line) - len(line.lstrip()))
        out.append((stripped_start, pos + len(line.rstrip()), line))
        pos += len(line) + 1
    return out


def _looks_like_heading(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= _HEADING_MAX_CHARS
        and len(line.split()) <= _HEADING_MAX_WORDS
        and not _SENTENCE_END.search(line)
        and any(ch.isalpha() for ch in line)
    )


def _heading_of(line: str, markdown: bool) -> str | None:
    if markdown:
        match = _MD_HEADING.match(line.strip())
        return match.group(2) if match else None
    return line.strip() if _looks_like_heading(line) else None
