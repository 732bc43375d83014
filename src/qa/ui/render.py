"""HTML and text for the chat UI, as pure functions (no Gradio here, so they are easy to test).

Every piece of user input, article text and model output goes through `esc` before it meets
markup: nothing from them is ever read as HTML, Markdown or a template. Each message and section
carries its own `dir`/`lang`, so Arabic reads right-to-left and English left-to-right in the same
conversation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa.results import Answer, Citation
from qa.text.language import detect_language

if TYPE_CHECKING:  # the UI reads articles through the Assistant (Assistant.articles)
    from qa.ingest.article import Article


# Bilingual labels: each one reads "Arabic · English", so both readers find their way. Each half is
# a directional isolate (RLI…PDI, LRI…PDI), so an Arabic half keeps its word order and its final
# punctuation even where Gradio shows the label left to right (buttons, placeholders).
def both(label: str) -> str:
    arabic, sep, english = label.partition(" · ")
    if not sep:
        return label
    return f"\u2067{arabic}\u2069 · \u2066{english}\u2069"


_LABELS = {
    "title": "اسأل المقال · Ask the article",
    "subtitle": "أسئلة بالعربية أو بالإنجليزية، وأجوبة تقتبس المقال وتذكر أقسامه · "
                "Ask in Arabic or English; answers quote the article and cite its sections",
    "conversation": "المحادثة · Conversation",
    "chat_placeholder": "اسأل عن المقال بالعربية أو بالإنجليزية، أو اختر مثالاً أدناه. · "
                        "Ask about the article in Arabic or English, or pick an example below.",
    "input": "سؤالك · Your question",
    "placeholder": "اكتب سؤالك هنا… · Type your question here…",
    "ask": "اسأل · Ask",
    "clear": "مسح المحادثة · Clear conversation",
    "export_md": "تصدير Markdown · Export Markdown",
    "export_json": "تصدير JSON · Export JSON",
    "examples": "أسئلة للتجربة · Example questions",
    "settings": "الإعدادات · Settings",
    "mode": "طريقة الإجابة · Answer mode",
    "top_k": "عدد المقاطع المقروءة · Passages to read",
    "sources": "المصادر · Sources",
    "article": "المقال كاملاً · The whole article",
    "no_sources": "لم تُقتبس مصادر بعد. اطرح سؤالاً لترى الجمل التي يستند إليها الجواب. · "
                  "No sources yet. Ask a question to see the sentences the answer rests on.",
    "abstained_sources": "لم يجد المساعد في المقال ما يجيب عن السؤال. أقرب الأقسام: · "
                         "The article does not answer this. Nearest sections:",
    "error_sources": "لا مصادر لهذا السؤال. · No sources for this question.",
    "show_in_article": "اذهب إلى موضعه في المقال · Show in the article",
    "abstained": "ليس في المقال · Not in the article",
    "extractive": "اقتباس من المقال · Extractive",
    "llm": "نموذج لغوي · LLM",
    "thinking": "…",
    "no_article": "تعذّر عرض المقال. · The article cannot be shown.",
}
LABELS = {key: both(text) for key, text in _LABELS.items()}
MODE_CHOICES = [(LABELS["extractive"], "extractive"), (LABELS["llm"], "llm")]

ERROR_LEAD = {
    "ar": "تعذّرت الإجابة عن هذا السؤال:",
    "en": "This question could not be answered:",
}
UNEXPECTED = {
    "ar": "حدث خطأ غير متوقع أثناء الإجابة. حاول مرة أخرى، وإن تكرر فأبلغ من يدير الخدمة.",
    "en": "Something went wrong while answering. Please try again; "
    "if it keeps happening, tell whoever runs this service.",
}
SOURCES_WORD = {"ar": "المصادر", "en": "Sources"}

_MARKER = re.compile(r"\[(\d{1,3})\]")
# Template syntax and the "(" of Markdown links/images are inert too, should a renderer ever read
# Markdown or templates from a value.
_INERT = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;", "(": "&#40;"})


def esc(text: object) -> str:
    """Text as inert HTML: markup, entities, quotes, template syntax (`${}`, `{{}}`) and Markdown
    link openings escaped."""
    return html.escape(str(text), quote=True).translate(_INERT)


def lang_of(text: str) -> str:
    return detect_language(text)


def dir_of(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def text_html(text: str) -> str:
    """Escaped text with line breaks kept."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def anchor(article: int, section: int) -> str:
    """The id of a section in the article view; citations link to it."""
    return f"qa-a{article}-s{section}"


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


# -- the article, by section --------------------------------------------------------------------
@dataclass(frozen=True)
class Located:
    article: int
    section: int
    start: int  # span of the quote inside the section text, -1 when it cannot be found
    end: int


@dataclass
class Library:
    """The indexed articles, to show sections in full and to find where a citation points."""

    articles: list[Article] = field(default_factory=list)

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


def article_html(library: Library, cited: Sequence[Citation] = ()) -> str:
    """The whole article(s), by section, each section with an anchor; cited quotes highlighted."""
    if not library.articles:
        return f'<div class="qa-empty">{esc(LABELS["no_article"])}</div>'
    marks: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for c in cited:
        where = library.locate(c)
        if where and where.start >= 0:
            marks.setdefault((where.article, where.section), []).append((where.start, where.end, c.marker))
    parts = ['<div class="qa-article-view">']
    for a, article in enumerate(library.articles):
        lang = lang_of(article.title + " " + article.sections[0].text[:200])
        parts.append(f'<article class="qa-article" dir="{dir_of(lang)}" lang="{lang}">')
        if article.title != article.sections[0].heading:
            parts.append(f'<h3 class="qa-article-title">{esc(article.title)}</h3>')
        for s, section in enumerate(article.sections):
            slang = lang_of(section.heading + " " + section.text[:200])
            is_cited = (a, s) in marks
            parts.append(
                f'<section id="{anchor(a, s)}" class="qa-section{" qa-cited" if is_cited else ""}" '
                f'dir="{dir_of(slang)}" lang="{slang}">'
            )
            level = 3 if s == 0 and section.heading == article.title else 4
            parts.append(f'<h{level} class="qa-heading">{esc(section.heading)}</h{level}>')
            parts.append(f'<p>{_marked(section.text, marks.get((a, s), []))}</p></section>')
        parts.append("</article>")
    parts.append("</div>")
    return "".join(parts)


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

    return _MARKER.sub(ref, lines_html(answer.text))


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
        chips = "".join(_chip(c.marker or i, c.section, library.anchor_of(c))
                        for i, c in enumerate(answer.citations, start=1))
        parts.append(f'<div class="qa-chips">{chips}</div>')
    if answer.notice:
        parts.append(f'<div class="qa-notice" dir="auto">{text_html(answer.notice)}</div>')
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
        nearest = list(dict.fromkeys(p.section for p in answer.passages))[:3]
        listed = "".join(f'<li dir="auto">{esc(s)}</li>' for s in nearest)
        return (f'<div class="qa-sources qa-empty"><p>{esc(LABELS["abstained_sources"])}</p>'
                f'<ul>{listed}</ul></div>')
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
        parts.append(
            f'<div class="qa-source" dir="{dir_of(lang)}" lang="{lang}">'
            f'<div class="qa-source-head">{numbers}'
            f'<span class="qa-source-title">{esc(first.section)}</span></div>'
            f'<p class="qa-source-text">{body}</p>{link}</div>'
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
