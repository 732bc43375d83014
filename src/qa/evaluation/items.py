"""The evaluation set: one JSON object per line, schema in docs/evaluation.md."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import ConfigError

REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str, "question": str, "language": str, "history": list, "gold_sections": list, "facts": list,
    "answerable": (bool, type(None)), "tags": list}


@dataclass(frozen=True)
class EvalItem:
    """One question of the evaluation set."""

    id: str
    question: str
    language: str  # "ar" | "en"
    history: tuple[dict[str, str], ...] = ()
    gold_sections: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    answerable: bool | None = True  # None: a draft (a chat UI vote) that a person has yet to mark
    tags: tuple[str, ...] = ()
    paraphrase_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        """`answerable`, `out-of-article`, `near-miss`, `unanswerable` (untagged), or `draft`."""
        if self.answerable is None:
            return "draft"
        if self.answerable:
            return "answerable"
        for tag in ("out-of-article", "near-miss"):
            if tag in self.tags:
                return tag
        return "unanswerable"

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "item") -> EvalItem:
        for key, kind in REQUIRED.items():
            if key not in data or not isinstance(data[key], kind):
                name = "true, false or null" if isinstance(kind, tuple) else getattr(kind, "__name__", "")
                raise ConfigError(
                    f"{where}: field `{key}` must be {name}, got {data.get(key)!r}; "
                    "see docs/evaluation.md for the schema"
                )
        if data["language"] not in ("ar", "en"):
            raise ConfigError(f"{where}: `language` must be \"ar\" or \"en\", got {data['language']!r}")
        known = set(REQUIRED) | {"paraphrase_of"}
        return cls(
            id=data["id"],
            question=data["question"],
            language=data["language"],
            history=tuple(dict(turn) for turn in data["history"]),
            gold_sections=tuple(data["gold_sections"]),
            facts=tuple(tuple(forms) for forms in data["facts"]),
            answerable=data["answerable"],
            tags=tuple(data["tags"]),
            paraphrase_of=data.get("paraphrase_of"),
            extra={k: v for k, v in data.items() if k not in known},
        )


def load_items(path: str | Path) -> list[EvalItem]:
    """Read an evaluation set. Raises ConfigError naming the file and line of any bad entry."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"evaluation set {path}: no such file; pass --set PATH (default eval/questions.jsonl)"
        )
    items: list[EvalItem] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{where}: not valid JSON ({err.msg}); fix that line") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: each line must be a JSON object")
        item = EvalItem.from_dict(data, where)
        if item.id in seen:
            raise ConfigError(f"{where}: duplicate id {item.id!r}; ids must be unique")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise ConfigError(f"evaluation set {path} has no items")
    return items
