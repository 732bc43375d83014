"""qa: bilingual (Arabic/English) question answering over an Arabic news article, with answers that
quote the article and cite its section headings.

    from qa import Assistant
    answer = Assistant().ask("Who called whom, and when?")
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from qa.assistant import Assistant
from qa.errors import (
    ArticleError,
    ConfigError,
    IndexError_,
    IndexUnavailableError,
    LLMError,
    ModelMismatchError,
    QAError,
    QuestionError,
)
from qa.results import Answer, Citation, IngestReport, Passage
from qa.settings import Settings

try:  # the one version, pyproject.toml's, as installed
    __version__ = _version("qa")
except PackageNotFoundError:  # the source tree on sys.path, never installed
    __version__ = "0+unknown"

__all__ = [
    "Answer",
    "ArticleError",
    "Assistant",
    "Citation",
    "ConfigError",
    "IndexError_",
    "IndexUnavailableError",
    "IngestReport",
    "LLMError",
    "ModelMismatchError",
    "Passage",
    "QAError",
    "QuestionError",
    "Settings",
    "__version__",
]
