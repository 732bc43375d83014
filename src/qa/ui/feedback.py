"""The chat's 👍/👎 votes, written down as evaluation data: one JSON line per vote, appended to
`Settings.feedback_path`, in the eval set's shape (docs/evaluation.md) with `answerable` null, so
`qa eval --set FILE` reads the file as draft items and a maintainer turns them into real ones by
marking each answerable or not and adding its gold sections and facts (docs/chat-ui.md)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.ui.render import Turn, history

_WRITE = threading.Lock()


def line(turns: list[Turn], turn: int, liked: bool, comment: str = "") -> dict[str, Any]:
    """The draft eval item of a vote on the answer of `turns[turn]`."""
    asked = turns[turn]
    assert asked.answer is not None
    now = datetime.now(UTC)
    return {
        "id": f"feedback-{now:%Y%m%dT%H%M%S%f}",
        "question": asked.question,
        "language": asked.language,
        "history": history(turns[:turn]),
        "gold_sections": [],
        "facts": [],
        "answerable": None,
        "tags": ["feedback", "up" if liked else "down"],
        "feedback": {"vote": "up" if liked else "down", "comment": comment, "time": now.isoformat(),
                     "answer": asked.answer.to_dict()},
    }


def record(path: Path, turns: list[Turn], turn: int, liked: bool, comment: str = "") -> dict[str, Any]:
    """Append the vote's line to `path` (made with its folder when missing); the line."""
    entry = line(turns, turn, liked, comment)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _WRITE, path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as err:
        raise ConfigError(f"cannot write the chat's feedback to {path} ({err.strerror or err}): "
                          "set QA_FEEDBACK_PATH to a writable file") from err
    return entry
