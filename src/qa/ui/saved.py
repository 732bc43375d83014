"""The conversation kept in the visitor's browser (Gradio's BrowserState: local storage, per
browser), so that it survives a reload. What comes back is the visitor's own data, but it is read
as untrusted all the same: anything that does not parse into turns gives an empty conversation,
and everything shown of it is escaped like any answer (qa.ui.render)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from qa.results import Answer, Citation, Passage
from qa.ui.render import Turn

MAX_TURNS = 200  # a conversation longer than this keeps its last turns


def dump(turns: list[Turn]) -> list[dict[str, Any]]:
    """Finished turns as JSON-ready dicts."""
    return [
        {"question": t.question, "language": t.language, "error": t.error,
         "answer": asdict(t.answer) if t.answer is not None else None}
        for t in turns[-MAX_TURNS:] if t.done
    ]


def load(saved: Any) -> list[Turn]:
    """The turns `dump` wrote; [] for anything else."""
    if not isinstance(saved, list):
        return []
    try:
        return [_turn(item) for item in saved[-MAX_TURNS:]]
    except (TypeError, KeyError, ValueError, AttributeError):
        return []


def _turn(item: dict[str, Any]) -> Turn:
    answer = item.get("answer")
    error = item.get("error")
    if answer is None and not isinstance(error, str):
        raise ValueError("a turn needs an answer or an error")
    return Turn(question=str(item["question"]), language="ar" if item.get("language") == "ar" else "en",
                answer=_answer(answer) if answer is not None else None, error=error)


def _answer(data: dict[str, Any]) -> Answer:
    if data.get("language") not in ("ar", "en") or data.get("mode") not in ("extractive", "llm"):
        raise ValueError("not an answer")
    return Answer(
        text=str(data["text"]), language=data["language"], abstained=bool(data["abstained"]),
        mode=data["mode"], citations=[Citation(**c) for c in data.get("citations", [])],
        notice=data.get("notice"), question=str(data.get("question", "")),
        passages=[Passage(**p) for p in data.get("passages", [])],
        related=[Citation(**c) for c in data.get("related", [])],
    )
