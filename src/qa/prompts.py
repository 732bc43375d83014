"""Prompt templates: Jinja2 files under `prompts/`, loaded by name and rendered strictly, so a
missing variable raises instead of leaving a hole in the prompt.

    from qa import prompts
    text = prompts.render("translate", question="Who called?", target_language="Arabic")
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from qa.errors import ConfigError
from qa.resources import prompts_dir

SUFFIX = ".md"


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text for a model, not HTML
        keep_trailing_newline=True,  # Jinja's defaults otherwise: templates control their own whitespace
    )


def names() -> list[str]:
    """Every prompt that ships with qa, by name (the file name without `.md`)."""
    return sorted(p.stem for p in prompts_dir().glob(f"*{SUFFIX}"))


def load(name: str) -> Any:
    """The jinja2 Template called `name` (e.g. "system" for prompts/system.md)."""
    import jinja2

    try:
        return _environment().get_template(f"{name}{SUFFIX}")
    except jinja2.TemplateNotFound as err:
        raise ConfigError(
            f"prompt {name!r} not found in {prompts_dir()}: expected one of {names()}"
        ) from err


def render(name: str, **variables: Any) -> str:
    """The prompt `name` filled with `variables`; a variable the template uses but was not given
    raises ConfigError naming it."""
    import jinja2

    try:
        return load(name).render(**variables).strip()
    except jinja2.UndefinedError as err:
        raise ConfigError(f"prompt {name!r}: {err}; pass it to qa.prompts.render") from err
