"""Questions that point to a part of the article rather than its topic: "What does the conclusion
say?", «حسب خاتمة المقال» (data/article_parts.toml). No word of such a question need be in that part:
retrieval gives every sentence of the part a token (`PART_TOKENS`) that the question's term matches.
"""

from __future__ import annotations

import re
from functools import cache

from qa.text import tables
from qa.text.normalize import strip_harakat

PARTS_FILE = "article_parts.toml"


@cache
def _parts() -> dict[str, re.Pattern[str]]:
    return tables.rules(PARTS_FILE)


@cache
def part_tokens() -> dict[str, str]:
    """The token each part gives its sentences: {"end": "\\x01end", ...}; no word tokenises to these."""
    return {part: f"\x01{part}" for part in _parts()}


def article_part(text: str) -> str | None:
    """The part of the article a question points to: "end" (its conclusion, last section), "start"
    (its opening, the lead section; also for "what is the article about?", its summary and its
    title, which a news report's lead and heading give), or None. The first rule that matches wins."""
    text = strip_harakat(text)
    return next((part for part, pattern in _parts().items() if pattern.search(text)), None)


def without_part(text: str) -> str:
    """The question without the words that name a part of the article: they say where to look,
    not what to find, so no sentence need contain them."""
    text = strip_harakat(text)
    for pattern in _parts().values():
        text = pattern.sub(" ", text)
    return text
