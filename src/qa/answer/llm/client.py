"""The chat model: langchain-openai's ChatOpenAI against any OpenAI-compatible endpoint (OpenAI,
Ollama's /v1, vLLM, llama.cpp's server, LM Studio). Imported only when LLM mode is used."""

from __future__ import annotations

from typing import Any

from qa.errors import ConfigError
from qa.settings import Settings

LOCAL_KEY = "not-needed"  # local servers ignore the key, but the client insists on one
MAX_ANSWER_TOKENS = 700


def check(settings: Settings) -> None:
    """Raise ConfigError naming the missing setting when LLM mode cannot work as configured."""
    if not settings.llm_model:
        raise ConfigError(
            "QA_LLM_MODEL is not set: name the chat model, e.g. QA_LLM_MODEL=qwen2.5:7b-instruct"
        )
    if not settings.llm_base_url and settings.llm_api_key is None:
        raise ConfigError(
            "QA_LLM_BASE_URL is not set: point it at an OpenAI-compatible endpoint, e.g. "
            "http://127.0.0.1:11434/v1 for Ollama (or set QA_LLM_API_KEY to use OpenAI itself)"
        )


def make_chat_model(settings: Settings) -> Any:
    """A streaming ChatOpenAI for `settings`. Retries are ours (bounded by the deadline), so the
    client's own are off."""
    check(settings)
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as err:
        raise ConfigError(
            "LLM mode needs langchain-openai, which is not installed: run `pip install 'qa[llm]'`"
        ) from err
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else LOCAL_KEY
    try:
        return ChatOpenAI(
            model=settings.llm_model or "",
            base_url=settings.llm_base_url,
            api_key=key,  # type: ignore[arg-type]  # ChatOpenAI wraps it in a SecretStr
            timeout=settings.llm_timeout,
            max_retries=0,
            temperature=0,
            max_tokens=MAX_ANSWER_TOKENS,  # type: ignore[call-arg]
            streaming=True,
        )
    except Exception as err:  # pydantic validation of the client's own fields; never echo the key
        raise ConfigError(
            f"cannot set up the chat model {settings.llm_model!r} at {settings.llm_base_url}: "
            f"{type(err).__name__}; check QA_LLM_BASE_URL and QA_LLM_MODEL"
        ) from None


def configured_chat_model(settings: Settings) -> Any | None:
    """The configured chat model when LLM settings are given (`llm_model` plus `llm_base_url`, or
    `llm_api_key` for OpenAI itself), else None: the judge of `qa eval`."""
    if not settings.llm_model or not (settings.llm_base_url or settings.llm_api_key):
        return None
    return make_chat_model(settings)
