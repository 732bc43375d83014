"""Plain text of answers for the /chat API endpoint, and a conversation exported as Markdown or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from qa.results import Answer
from qa.ui.markup import _LABELS, ERROR_LEAD, SOURCES_WORD
from qa.ui.render import Turn, plain_text


def reply_text(answer: Answer) -> str:
    """The /chat reply: the answer, the notice if any, then one line per cited section (what the
    copy button of an answer copies too)."""
    return plain_text(answer)


def error_text(message: str, language: str) -> str:
    return f"{ERROR_LEAD[language]} {message}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|#])")


def md_escape(text: str) -> str:
    """Markdown that shows the text as it is: no links, images, HTML or emphasis from it."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def export_markdown(turns: Sequence[Turn]) -> str:
    out = ["# qa: المحادثة · Conversation", ""]
    for n, turn in enumerate(turns, start=1):
        if not turn.done:
            continue
        out += [f"## {n}. {md_escape(turn.question)}", ""]
        if turn.error is not None:
            out += [f"> {md_escape(error_text(turn.error, turn.language))}", ""]
            continue
        assert turn.answer is not None
        answer = turn.answer
        out += [
            f"*{md_escape(_LABELS[answer.mode])}*"
            + (f" · *{md_escape(_LABELS['abstained'])}*" if answer.abstained else ""),
            "",
        ]
        out += [f"> {md_escape(line)}" if line else ">" for line in answer.text.split("\n")]
        out.append("")
        if answer.notice:
            out += [f"_{md_escape(answer.notice)}_", ""]
        if answer.citations:
            out += [f"{SOURCES_WORD[answer.language]}:", ""]
            out += [f"{c.marker or i}. {md_escape(c.section)}: «{md_escape(c.quote)}»"
                    for i, c in enumerate(answer.citations, start=1)]
            out.append("")
        if answer.related:
            out += [f"{md_escape(_LABELS['related'])}", ""]
            out += [f"- {md_escape(c.section)}: «{md_escape(c.quote)}»" for c in answer.related]
            out.append("")
    return "\n".join(out)


def export_json(turns: Sequence[Turn]) -> str:
    items: list[dict[str, Any]] = []
    for turn in turns:
        if not turn.done:
            continue
        item: dict[str, Any] = {"question": turn.question, "language": turn.language}
        if turn.answer is not None:
            item["answer"] = turn.answer.to_dict()
        else:
            item["error"] = turn.error
        items.append(item)
    return json.dumps({"conversation": items}, ensure_ascii=False, indent=2)
