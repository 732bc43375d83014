"""The assistant as a LangChain Runnable, for a chain of your own:

    chain = RunnableLambda(str.strip) | Assistant().as_runnable() | RunnableLambda(lambda a: a.text)
    chain.invoke("Who called whom, and when?")

`invoke` takes a question, or {"question": ..., "history": [...]} (the history as `Assistant.ask`
takes it), and returns the `Answer`; `stream` yields the answer's text pieces, then the `Answer`;
`batch` and `|` come from LangChain's Runnable. Kept apart so that `qa ask` imports no LangChain
runnable machinery.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from qa.errors import QuestionError

SHAPE = 'a question (str) or {"question": str, "history": [...]}'


def read_input(value: Any) -> tuple[str, Any]:
    """(question, history) from a Runnable input; a QuestionError naming the shape otherwise."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and isinstance(value.get("question"), str):
        return value["question"], value.get("history")
    raise QuestionError(f"the assistant's runnable takes {SHAPE}, not {type(value).__name__}: pass that")


class AssistantRunnable(Runnable[Any, Any]):
    """An Assistant's `ask` and `stream` as a Runnable."""

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant

    @property
    def InputType(self) -> Any:  # noqa: N802 - LangChain's name
        return str | dict[str, Any]

    @property
    def OutputType(self) -> Any:  # noqa: N802 - LangChain's name
        from qa.results import Answer

        return Answer

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return self._call_with_config(lambda value: self.assistant.ask(*read_input(value)), input, config)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any | None) -> Iterator[Any]:
        question, history = read_input(input)
        yield from self.assistant.stream(question, history)
