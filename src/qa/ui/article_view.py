"""The article view of the chat UI: the whole article(s) by section, cited quotes highlighted, in
the original, in a translation, or both side by side, aligned sentence by sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa.results import Citation
from qa.ui.markup import LABELS, anchor, dir_of, esc, lang_of, text_html

if TYPE_CHECKING:  # the UI reads articles through the Assistant (Assistant.articles)
    from qa.ingest.article import Article, Section


@dataclass(frozen=True)
class Located:
    article: int
    section: int
    start: int  # span of the quote inside the section text, -1 when it cannot be found
    end: int


Group = tuple[int, int, int, str]  # (section index, start, end of the original sentences, their translation)
VIEWS = ("original", "translation", "both")


@dataclass
class Library:
    """The indexed articles, to show sections in full and to find where a citation points; with the
    translations into `lang` and their alignment (`aligned`: Assistant.aligned) when there are some."""

    articles: list[Article] = field(default_factory=list)
    aligned: dict[str, list[Group]] = field(default_factory=dict)
    lang: str = ""

    @property
    def translated(self) -> bool:
        return any(a.translation(self.lang) is not None for a in self.articles) if self.lang else False

    def heading_in(self, heading: str, lang: str) -> str:
        """A section heading in the translation into `lang`, when there is one; else as it is."""
        for article in self.articles:
            translation = article.translation(lang) if lang else None
            for section, translated in zip(article.sections, translation.sections if translation else (),
                                           strict=False):
                if section.heading == heading:
                    return str(translated.heading)
        return heading

    def locate(self, citation: Citation) -> Located | None:
        for a, article in enumerate(self.articles):
            if citation.article and citation.article not in (article.title, article.id):
                continue
            for s, section in enumerate(article.sections):
                if section.heading != citation.section:
                    continue
                if (section.start <= citation.start < citation.end <= section.end
                        and article.text[citation.start:citation.end] == citation.quote):
                    return Located(a, s, citation.start - section.start, citation.end - section.start)
                at = section.text.find(citation.quote) if citation.quote else -1
                if at >= 0:
                    return Located(a, s, at, at + len(citation.quote))
                if not citation.quote:
                    return Located(a, s, -1, -1)
        return None

    def anchor_of(self, citation: Citation) -> str | None:
        where = self.locate(citation)
        return anchor(where.article, where.section) if where else None


def _marked(text: str, spans: Sequence[tuple[int, int, int]]) -> str:
    """Section text with (start, end, marker) spans wrapped in <mark>; everything escaped."""
    out, pos = [], 0
    for start, end, marker in sorted(spans):
        if start < pos or start < 0:
            continue  # overlapping or unknown: the first mark wins
        out.append(text_html(text[pos:start]))
        label = f'<sup class="qa-ref"><bdi>{marker}</bdi></sup>' if marker else ""
        out.append(f'<mark class="qa-quote">{text_html(text[start:end])}</mark>{label}')
        pos = end
    out.append(text_html(text[pos:]))
    return "".join(out)


def article_html(library: Library, cited: Sequence[Citation] = (), view: str = "original") -> str:
    """The whole article(s), by section, each section with an anchor; cited quotes highlighted. `view`:
    the `original`, its `translation` (library.lang), or `both`, side by side sentence by sentence."""
    if not library.articles:
        return f'<div class="qa-empty">{esc(LABELS["no_article"])}</div>'
    marks: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for c in cited:
        where = library.locate(c)
        if where and where.start >= 0:
            marks.setdefault((where.article, where.section), []).append((where.start, where.end, c.marker))
    parts = [f'<div class="qa-article-view qa-view-{esc(view)}">']
    for a, article in enumerate(library.articles):
        translation = article.translation(library.lang) if library.lang and view != "original" else None
        lang = lang_of(article.title + " " + article.sections[0].text[:200])
        shown = "en" if translation is not None and view == "translation" else lang
        parts.append(f'<article class="qa-article" dir="{dir_of(shown)}" lang="{shown}">')
        if article.title != article.sections[0].heading:
            title = translation.title if translation is not None and view == "translation" else article.title
            parts.append(f'<h3 class="qa-article-title">{esc(title)}</h3>')
        for s, section in enumerate(article.sections):
            own = marks.get((a, s), [])
            slang = lang_of(section.heading + " " + section.text[:200])
            if translation is not None:
                slang = library.lang if view == "translation" else slang
            parts.append(
                f'<section id="{anchor(a, s)}" class="qa-section{" qa-cited" if own else ""}" '
                f'dir="{dir_of(slang)}" lang="{slang}">'
            )
            level = 3 if s == 0 and section.heading == article.title else 4
            if translation is None:
                parts.append(f'<h{level} class="qa-heading">{esc(section.heading)}</h{level}>')
                parts.append(f"<p>{_marked(section.text, own)}</p></section>")
                continue
            translated = translation.sections[s]
            groups = [g for g in library.aligned.get(article.id, []) if g[0] == section.index]
            if view == "translation":
                parts.append(f'<h{level} class="qa-heading">{esc(translated.heading)}</h{level}>')
                parts.append(
                    f"<p>{_translated_marked(translated.text, groups, section.start, own)}</p></section>"
                )
            else:
                parts.append(_side_by_side(article, section, translated, groups, own, level, library.lang))
                parts.append("</section>")
        parts.append("</article>")
    parts.append("</div>")
    return "".join(parts)


def _cited_groups(
    groups: Sequence[Group], offset: int, own: Sequence[tuple[int, int, int]]
) -> dict[int, int]:
    """Group number -> the marker of a cited quote among its original sentences."""
    out = {}
    for n, (_, start, end, _) in enumerate(groups):
        for quote_start, _, marker in own:
            if start <= offset + quote_start < end:
                out[n] = marker
    return out


def _translated_marked(
    text: str, groups: Sequence[Group], offset: int, own: Sequence[tuple[int, int, int]]
) -> str:
    """A translated section with the translation of each cited quote highlighted."""
    spans, pos = [], 0
    for n, marker in sorted(_cited_groups(groups, offset, own).items()):
        at = text.find(groups[n][3], pos)
        if at >= 0:
            spans.append((at, at + len(groups[n][3]), marker))
            pos = at + len(groups[n][3])
    return _marked(text, spans)


def _side_by_side(article: Article, section: Section, translated: Section, groups: Sequence[Group],
                  own: Sequence[tuple[int, int, int]], level: int, lang: str) -> str:
    """One row per aligned group: the original sentences, and their translation beside them (an
    original sentence left untranslated has an empty cell)."""
    start, end, heading = section.start, section.end, section.heading
    cited = _cited_groups(groups, start, own)
    original_lang = lang_of(heading)
    rows = [f'<div class="qa-row qa-row-head"><h{level} class="qa-heading" dir="{dir_of(original_lang)}">'
            f'{esc(heading)}</h{level}><h{level} class="qa-heading" dir="{dir_of(lang)}" lang="{lang}">'
            f'{esc(translated.heading)}</h{level}></div>']
    pos = start
    for n, (_, g_start, g_end, text) in enumerate(sorted(groups, key=lambda g: g[1])):
        if g_start > pos and article.text[pos:g_start].strip():
            rows.append(_row(article.text[pos:g_start], "", original_lang, lang, None))
        rows.append(_row(article.text[g_start:g_end], text, original_lang, lang, cited.get(n)))
        pos = max(pos, g_end)
    if article.text[pos:end].strip():
        rows.append(_row(article.text[pos:end], "", original_lang, lang, None))
    return f'<div class="qa-aligned">{"".join(rows)}</div>'


def _row(original: str, translation: str, original_lang: str, lang: str, marker: int | None) -> str:
    mark = (lambda t: f'<mark class="qa-quote">{text_html(t)}</mark>') if marker is not None else text_html
    label = f'<sup class="qa-ref"><bdi>{marker}</bdi></sup>' if marker else ""
    return (f'<div class="qa-row"><p class="qa-cell" dir="{dir_of(original_lang)}" lang="{original_lang}">'
            f'{mark(original.strip())}{label}</p><p class="qa-cell" dir="{dir_of(lang)}" lang="{lang}">'
            f'{mark(translation) if translation else ""}</p></div>')
