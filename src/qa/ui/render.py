"""HTML and text for the chat UI, as pure functions (no Gradio here, so they are easy to test).

Every piece of user input, article text and model output goes through `esc` before it meets
markup: nothing from them is ever read as HTML, Markdown or a template. Each message and section
carries its own `dir`/`lang`, so Arabic reads right-to-left and English left-to-right in the same
conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.results import Answer, Citation
from qa.ui.article_view import Library, Located, _marked
from qa.ui.markup import (
    _LABELS,
    _MARKER,
    ERROR_LEAD,
    LABELS,
    SOURCES_WORD,
    anchor,
    dir_of,
    esc,
    lang_of,
    text_html,
)

if TYPE_CHECKING:  # the UI reads articles through the Assistant (Assistant.articles)
    pass


# -- the conversation ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    """One question and what came of it: an Answer, an error message, or (while streaming) text."""

    question: str
    language: str
    answer: Answer | None = None
    error: str | None = None
    partial: str = ""

    @property
    def done(self) -> bool:
        return self.answer is not None or self.error is not None


def history(turns: Sequence[Turn]) -> list[dict[str, str]]:
    """The conversation in the Assistant's history shape (finished turns with an answer only)."""
    out: list[dict[str, str]] = []
    for turn in turns:
        if turn.answer is not None:
            out += [{"role": "user", "content": turn.question},
                    {"role": "assistant", "content": turn.answer.text}]
    return out


# -- messages -----------------------------------------------------------------------------------
def _chip(marker: int, section: str, href: str | None) -> str:
    inner = (f'<span class="qa-chip-n"><bdi>{marker}</bdi></span>'
             f'<span class="qa-chip-h"><bdi>{esc(section)}</bdi></span>')
    if href:
        return f'<a class="qa-chip" href="#{href}" title="{esc(LABELS["show_in_article"])}">{inner}</a>'
    return f'<span class="qa-chip">{inner}</span>'


def _answer_body(answer: Answer, library: Library) -> str:
    """Answer text escaped, its [n] markers turned into small numbered links."""
    hrefs = {c.marker: library.anchor_of(c) for c in answer.citations if c.marker}

    def ref(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in hrefs:
            return match.group(0)
        href = hrefs[n]
        number = f"<bdi>{n}</bdi>"
        return (f'<a class="qa-ref" href="#{href}">{number}</a>' if href
                else f'<span class="qa-ref">{number}</span>')

    originals = {c.marker: c for c in answer.citations if c.marker and c.translation}
    out = []
    for line in answer.text.split("\n"):
        out.append(_MARKER.sub(ref, lines_html(line)))
        for n in dict.fromkeys(int(m) for m in _MARKER.findall(line)):
            if n in originals:  # the quote is the translation: its original under it
                c = originals[n]
                lang = lang_of(c.quote)
                out.append(f'<div class="qa-original" dir="{dir_of(lang)}" lang="{lang}">'
                           f"«<bdi>{esc(c.quote)}</bdi>»</div>")
    return "".join(out)


def lines_html(text: str) -> str:
    """Each line its own block in the direction of its script: in an English answer a line that
    quotes the Arabic article reads right to left, and its quotes and markers stay in order.
    (Not `dir="auto"`: it would skip the isolated quotes and go by the word "section".)"""
    return "".join(
        f'<div class="qa-line" dir="{dir_of(lang_of(line))}">{isolate_quotes(esc(line)) or "&nbsp;"}</div>'
        for line in text.split("\n"))


_QUOTED = re.compile(r"«([^«»]+)»")


def isolate_quotes(markup: str) -> str:
    """«…» quotes as isolated runs, so an Arabic quote inside an English sentence (or the reverse)
    keeps its own direction and its guillemets stay where the sentence puts them."""
    return _QUOTED.sub(r"«<bdi>\1</bdi>»", markup)


def badge(kind: str) -> str:
    return f'<span class="qa-badge qa-badge-{esc(kind)}">{esc(LABELS[kind])}</span>'


def _card(marker: int, c: Citation) -> str:
    """A citation's source as a card under the answer, opened in place by a chip on a narrow screen
    (the page's script), closed by its button: the heading and the quote, its translation first."""
    translated = (f'<p class="qa-card-quote" dir="auto">{text_html(c.translation)}</p>'
                  if c.translation else "")
    return (f'<div class="qa-card qa-card-{marker}" role="region">'
            f'<div class="qa-card-head"><span class="qa-chip-n"><bdi>{marker}</bdi></span> '
            f'<bdi>{esc(c.section_translation or c.section)}</bdi>'
            f'<button type="button" class="qa-card-close" title="{esc(LABELS["close"])}" '
            f'aria-label="{esc(LABELS["close"])}">✕</button></div>{translated}'
            f'<p class="qa-card-quote" dir="rtl" lang="ar">{text_html(c.quote)}</p></div>')


def plain_text(answer: Answer) -> str:
    """An answer as plain text: its text, the notice if any, then one `[n] heading — quote` line per
    citation (and the related reading of an abstention)."""
    lines = [answer.text]
    if answer.notice:
        lines += ["", f"({answer.notice})"]
    if answer.citations:
        lines += ["", f"{SOURCES_WORD[answer.language]}:"]
        lines += [f"[{c.marker}] {c.section} — {c.quote}" for c in answer.citations]
    if answer.related:
        lines += ["", _LABELS["related"]]
        lines += [f"- {c.section} — {c.quote}" for c in answer.related]
    return "\n".join(lines)


def user_html(turn: Turn) -> str:
    lang = lang_of(turn.question)
    return f'<div class="qa-msg qa-user" dir="{dir_of(lang)}" lang="{lang}">{text_html(turn.question)}</div>'


def reply_html(turn: Turn, library: Library) -> str:
    """The assistant's bubble: streaming text, a finished answer with chips, or a kind error."""
    lang = turn.language
    state = "qa-done" if turn.done else "qa-pending"
    head = f'<div class="qa-msg qa-bot {state}" dir="{dir_of(lang)}" lang="{lang}"'
    if turn.error is not None:
        return (f'{head} role="alert"><div class="qa-error"><strong>{esc(ERROR_LEAD[lang])}</strong> '
                f'<span dir="auto">{text_html(turn.error)}</span></div></div>')
    if turn.answer is None:
        body = (
            lines_html(turn.partial)
            if turn.partial
            else f'<span class="qa-typing">{esc(LABELS["thinking"])}</span>'
        )
        return f'{head} aria-busy="true"><div class="qa-text">{body}</div></div>'
    answer = turn.answer
    badges = [badge(answer.mode)]
    if answer.abstained:
        badges.append(badge("abstained"))
    parts = [
        f"{head}>",
        f'<div class="qa-badges">{"".join(badges)}</div>',
        f'<div class="qa-text{" qa-abstain" if answer.abstained else ""}">'
        f"{_answer_body(answer, library)}</div>",
    ]
    if answer.citations:
        chips = "".join(_chip(c.marker or i, c.section_translation or c.section, library.anchor_of(c))
                        for i, c in enumerate(answer.citations, start=1))
        parts.append(f'<div class="qa-chips">{chips}</div>')
        parts.append("".join(_card(c.marker or i, c) for i, c in enumerate(answer.citations, start=1)))
    if answer.notice:
        parts.append(f'<div class="qa-notice" dir="auto">{text_html(answer.notice)}</div>')
    # copied as plain text with its citations by the page's script (autodir.js)
    parts.append(f'<button type="button" class="qa-copy" title="{esc(LABELS["copy"])}">'
                 f'{esc(LABELS["copy"])}</button><div class="qa-copytext">{esc(plain_text(answer))}</div>')
    parts.append("</div>")
    return "".join(parts)


def messages(turns: Sequence[Turn], library: Library) -> list[dict[str, str]]:
    """Chatbot value: one user and one assistant message per turn, as escaped HTML."""
    out: list[dict[str, str]] = []
    for turn in turns:
        out.append({"role": "user", "content": user_html(turn)})
        out.append({"role": "assistant", "content": reply_html(turn, library)})
    return out


# -- the sources panel --------------------------------------------------------------------------
def sources_html(turn: Turn | None, library: Library) -> str:
    """The sections the last answer cites, each with its quoted sentences highlighted in place."""
    if turn is None or not turn.done:
        return f'<div class="qa-sources qa-empty">{esc(LABELS["no_sources"])}</div>'
    answer = turn.answer
    if answer is None:
        return f'<div class="qa-sources qa-empty">{esc(LABELS["error_sources"])}</div>'
    if not (answer.citations or answer.abstained or answer.passages):  # a reply to "hello": nothing looked up
        return f'<div class="qa-sources qa-empty">{esc(LABELS["no_sources"])}</div>'
    if not answer.citations:
        nearest = list({(p.article, p.section): p for p in answer.passages}.values())[:3]
        links = []
        for p in nearest:  # each a link to its section in the article view
            name = esc(library.heading_in(p.section, answer.language))
            href = library.anchor_of(Citation(section=p.section, quote="", article=p.article))
            links.append(f'<li dir="auto"><a class="qa-nearest" href="#{href}">{name}</a></li>' if href
                         else f'<li dir="auto">{name}</li>')
        listed = "".join(links)
        related = "".join(
            f'<li class="qa-related-item">'
            f'<span dir="auto">{esc(c.section_translation or c.section)}</span> — '
            + (f'<q dir="auto">{esc(c.translation)}</q><br>' if c.translation else "")
            + f'<q dir="rtl" lang="ar">{esc(c.quote)}</q></li>'
            for c in answer.related
        )
        closest = (f'<div class="qa-related"><p>{esc(LABELS["related"])}</p><ul>{related}</ul></div>'
                   if related else "")
        return (f'<div class="qa-sources qa-empty"><p>{esc(LABELS["abstained_sources"])}</p>'
                f'<ul>{listed}</ul>{closest}</div>')
    groups: dict[tuple[int, int] | tuple[str, str], list[tuple[Citation, Located | None]]] = {}
    for c in answer.citations:
        where = library.locate(c)
        key: tuple[int, int] | tuple[str, str] = (
            (where.article, where.section) if where else (c.article, c.section)
        )
        groups.setdefault(key, []).append((c, where))
    parts = ['<div class="qa-sources">']
    for items in groups.values():
        first, where = items[0]
        numbers = "".join(
            f'<span class="qa-chip-n"><bdi>{c.marker}</bdi></span>' for c, _ in items if c.marker
        )
        lang = lang_of(first.section + " " + first.quote)
        if where is not None:
            article = library.articles[where.article]
            section = article.sections[where.section]
            spans = [(w.start, w.end, c.marker) for c, w in items if w is not None and w.start >= 0]
            body = _marked(section.text, spans)
            link = (
                f'<div class="qa-goto-row"><a class="qa-goto" href="#{anchor(where.article, where.section)}">'
                f"{esc(LABELS['show_in_article'])}</a></div>"
            )
            lang = lang_of(section.heading + " " + section.text[:200])
        else:  # the article file is not readable here: show the quotes alone
            body = "<br>".join(f'<mark class="qa-quote">{text_html(c.quote)}</mark>' for c, _ in items)
            link = ""
        translated = [(c.marker, c.translation) for c, _ in items if c.translation]
        title = esc(first.section)
        if first.section_translation:
            title = (
                f'{esc(first.section_translation)} <span class="qa-source-original"><bdi>{title}</bdi></span>'
            )
        shown = "".join(
            f'<p class="qa-source-translation" dir="{dir_of(answer.language)}" lang="{answer.language}">'
            f'<span class="qa-chip-n"><bdi>{n}</bdi></span>'
            f'<mark class="qa-quote">{text_html(text or "")}</mark></p>'
            for n, text in translated
        )
        parts.append(
            f'<div class="qa-source" dir="{dir_of(lang)}" lang="{lang}">'
            f'<div class="qa-source-head">{numbers}'
            f'<span class="qa-source-title">{title}</span></div>'
            f'{shown}<p class="qa-source-text">{body}</p>{link}</div>'
        )
    parts.append("</div>")
    return "".join(parts)


def example_questions(seed: bool) -> list[str]:
    """Bilingual examples; questions about the bundled article when it is the one indexed."""
    if seed:
        return [
            "من اتصل بمن ومتى؟",
            "Who called whom, and when?",
            "كم عدد الذين قتلوا في هجوم تدمر؟",
            "Who identified the attacker?",
            "ما الذي أكد عليه الشيباني؟",
            "What was the meeting in Palmyra about?",
        ]
    return ["ما موضوع المقال؟", "What is the article about?", "ما الخلاصة؟", "What is the conclusion?"]
