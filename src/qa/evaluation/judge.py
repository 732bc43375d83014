"""LLM-judged metrics: faithfulness of each claim to its cited quote, and correctness against the
reference facts. Runs only with a chat model (a LangChain `BaseChatModel`); CI never needs one.

The prompt is `prompts/judge.md`, rendered strictly by `qa.prompts`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa import prompts

if TYPE_CHECKING:
    from qa.evaluation.items import EvalItem
    from qa.results import Answer

PROMPT = "judge"
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


@dataclass(frozen=True)
class Verdict:
    """The judge's reading of one answer. `error` is set (and the rest empty) when the judge failed."""

    claims: int = 0
    supported: int = 0
    correct: bool | None = None
    reason: str = ""
    unsupported: tuple[str, ...] = ()
    error: str | None = None

    @property
    def faithfulness(self) -> float | None:
        """Supported claims as a share of claims; None when there were none or the judge failed."""
        return self.supported / self.claims if self.claims and self.error is None else None


def render_prompt(item: EvalItem, answer: Answer) -> str:
    """The judge prompt for one answer."""
    return prompts.render(
        PROMPT,
        question=item.question,
        language=item.language,
        answer=answer.text,
        citations=[{"marker": c.marker or n, "section": c.section, "quote": c.quote}
                   for n, c in enumerate(answer.citations, start=1)],
        answerable=item.answerable,
        facts=[list(forms) for forms in item.facts],
    )


def parse_verdict(reply: str) -> Verdict:
    """Read the judge's JSON reply (code fences and chatter around it are tolerated)."""
    match = _JSON_OBJECT.search(reply)
    if match is None:
        return Verdict(error=f"no JSON object in the judge's reply: {reply[:80]!r}")
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError as err:
        return Verdict(error=f"the judge's reply is not valid JSON ({err.msg})")
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        return Verdict(error="the judge's reply has no `claims` list")
    supported = [c for c in claims if c.get("supported") is True]
    correct = data.get("correct")
    return Verdict(
        claims=len(claims),
        supported=len(supported),
        correct=correct if isinstance(correct, bool) else None,
        reason=str(data.get("reason", "")),
        unsupported=tuple(str(c.get("claim", "")) for c in claims if c.get("supported") is not True),
    )


def _reply_text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content)
    return str(content)


def judge_answer(model: Any, item: EvalItem, answer: Answer) -> Verdict:
    """Ask the judge about one answer. Failures become a Verdict with `error`, never an exception:
    one bad reply must not end an evaluation run."""
    try:
        reply = model.invoke(render_prompt(item, answer))
    except Exception as err:  # any client error: recorded per item, the run goes on
        return Verdict(error=f"judge call failed: {type(err).__name__}: {str(err)[:120]}")
    return parse_verdict(_reply_text(reply))


def model_name(model: Any) -> str:
    """A readable name of a chat model for the report."""
    for attr in ("model_name", "model", "model_id"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(getattr(model, "_llm_type", type(model).__name__))

