"""Errors a person can act on. Every message names the bad value and the fix.

    QAError
    ├── QuestionError          empty, blank or overlong question
    ├── ArticleError           an article that cannot be read (missing, empty, binary, not UTF-8, too large)
    ├── IndexError_            the index cannot be used
    │   ├── ModelMismatchError built with another embedding model
    │   └── IndexUnavailableError  corrupt, missing, or the Chroma server is unreachable
    ├── ConfigError            a setting or an optional dependency is missing or wrong
    └── LLMError               the chat model failed (callers fall back to extractive answers)
"""

from __future__ import annotations


class QAError(Exception):
    """Base of every error qa raises on purpose. `str(err)` is one line meant for a person."""


class QuestionError(QAError, ValueError):
    """The question cannot be answered as given."""


class ArticleError(QAError, ValueError):
    """An article file cannot be used. Nothing already indexed is touched."""

    def __init__(self, path: object, problem: str, fix: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"article {self.path}: {problem}; {fix}")


class IndexError_(QAError):  # noqa: N801 - trailing underscore: do not shadow the builtin
    """The index cannot be used as it is."""


class ModelMismatchError(IndexError_):
    """The index was built with another embedding model."""


class IndexUnavailableError(IndexError_):
    """The index is missing, corrupt, or its server does not answer."""


class ConfigError(QAError):
    """A setting or an optional dependency is wrong or missing."""


class LLMError(QAError):
    """The chat model could not give a usable answer."""
