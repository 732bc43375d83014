"""Why a model call failed, whether another try may help, and what to tell the user.

Messages are ours, never the client's: a client error can carry request details, and the API
key must not reach a log, an error or a notice.
"""

from __future__ import annotations

import json
from typing import Literal

from qa.errors import ConfigError, LLMError
from qa.results import Language

Reason = Literal["config", "unreachable", "timeout", "rate_limit", "server", "auth", "model",
                 "request", "malformed", "empty", "language", "cut_short"]

RETRYABLE: frozenset[str] = frozenset(
    {"unreachable", "timeout", "rate_limit", "server", "malformed", "empty"}
)

_WHY = {
    "en": {
        "config": "LLM mode is not set up ({detail})",
        "unreachable": "the language model could not be reached",
        "timeout": "the language model did not answer within {detail} s",
        "rate_limit": "the language model endpoint is limiting requests (HTTP 429)",
        "server": "the language model endpoint failed (HTTP {detail})",
        "auth": "the language model endpoint refused the API key (HTTP {detail}): check QA_LLM_API_KEY",
        "model": "the language model endpoint does not know the model {detail}: check QA_LLM_MODEL",
        "request": "the language model endpoint rejected the request (HTTP {detail})",
        "malformed": "the language model sent a malformed reply",
        "empty": "the language model sent an empty reply",
        "language": "the language model did not answer in English",
        "cut_short": "the language model stopped answering part way ({detail}); "
                     "only the checked part is shown",
    },
    "ar": {
        "config": "وضع النموذج اللغوي غير مُعَدّ ({detail})",
        "unreachable": "تعذّر الوصول إلى النموذج اللغوي",
        "timeout": "لم يُجب النموذج اللغوي خلال {detail} ثانية",
        "rate_limit": "خادم النموذج اللغوي يحدّ من عدد الطلبات (HTTP 429)",
        "server": "تعطّل خادم النموذج اللغوي (HTTP {detail})",
        "auth": "رفض خادم النموذج اللغوي مفتاح الـAPI (HTTP {detail}): راجِع QA_LLM_API_KEY",
        "model": "لا يعرف خادم النموذج اللغوي النموذج {detail}: راجِع QA_LLM_MODEL",
        "request": "رفض خادم النموذج اللغوي الطلب (HTTP {detail})",
        "malformed": "أرسل النموذج اللغوي ردًّا غير صالح",
        "empty": "أرسل النموذج اللغوي ردًّا فارغًا",
        "language": "لم يُجب النموذج اللغوي بالعربية",
        "cut_short": "توقّف النموذج اللغوي قبل إكمال الإجابة ({detail})؛ يُعرض الجزء الذي جرى التحقق منه فقط",
    },
}
_FALLBACK = {
    "en": "{why}; this is the offline extractive answer.",
    "ar": "{why}؛ هذه هي الإجابة المقتطفة من المقال دون نموذج لغوي.",
}


class Failure(Exception):
    """A failed model call, already classified. `detail` holds no secrets (status, seconds, model)."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason: Reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return _WHY["en"][self.reason].format(detail=self.detail)

    @property
    def retryable(self) -> bool:
        return self.reason in RETRYABLE


def why(failure: Failure, language: Language) -> str:
    """What went wrong, as a clause in `language`."""
    return _WHY[language][failure.reason].format(detail=failure.detail)


def notice(failure: Failure, language: Language, *, fallback: bool = True) -> str:
    """One sentence for the user, in the question's language."""
    why = _WHY[language][failure.reason].format(detail=failure.detail)
    text = _FALLBACK[language].format(why=why) if fallback else why + ("." if language == "en" else "")
    return text[0].upper() + text[1:]


def classify(err: BaseException, *, timeout: float, model: str | None) -> Failure:
    """A Failure for any exception a chat model call can raise."""
    if isinstance(err, Failure):
        return err
    if isinstance(err, ConfigError):
        return Failure("config", str(err))
    if isinstance(err, TimeoutError):
        return Failure("timeout", f"{timeout:g}")
    try:
        import openai
    except ImportError:  # only fake models in use
        openai = None  # type: ignore[assignment]
    if openai is not None:
        if isinstance(err, openai.APITimeoutError):
            return Failure("timeout", f"{timeout:g}")
        if isinstance(err, openai.APIConnectionError):
            return Failure("unreachable")
        if isinstance(err, openai.APIStatusError):
            status = int(err.status_code)
            if status == 429:
                return Failure("rate_limit", "429")
            if status in (401, 403):
                return Failure("auth", str(status))
            if status == 404:
                return Failure("model", repr(model))
            if status >= 500:
                return Failure("server", str(status))
            return Failure("request", str(status))
        if isinstance(err, openai.APIResponseValidationError):
            return Failure("malformed")
        if isinstance(err, openai.APIError):  # an error event inside the stream
            return Failure("server", "stream")
    if isinstance(err, json.JSONDecodeError | ValueError | KeyError | TypeError | AttributeError):
        return Failure("malformed")
    name = type(err).__name__.lower()
    if "timeout" in name:
        return Failure("timeout", f"{timeout:g}")
    if "connect" in name or isinstance(err, ConnectionError | OSError):
        return Failure("unreachable")
    return Failure("malformed")


def as_error(failure: Failure) -> LLMError:
    return LLMError(str(failure))
