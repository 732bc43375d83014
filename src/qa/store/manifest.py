"""The manifest of an index: which generation of collections is active, with which embedding model,
and a fingerprint of what was indexed. Switching it is one metadata write (qa.store.chroma)."""

from __future__ import annotations

import calendar
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 4  # 2: the vocabulary carries GeoNames' Latin names of places (qa.text.places);
# 3: a `translations` collection holds the articles' aligned translations (qa.ingest.aligning);
# 4: a vocabulary word is its record's metadata `word`, not its document (qa.store.chroma.words_of)
_GENERATION_TIME = re.compile(r"^g(\d{14})")


@dataclass(frozen=True)
class Manifest:
    active: str
    model: str
    dimension: int
    fingerprint: str
    chunks: int
    sentences: int
    articles: tuple[str, ...]
    schema: int = SCHEMA_VERSION

    def to_metadata(self) -> dict[str, str | int]:
        return {
            "active": self.active,
            "model": self.model,
            "dimension": self.dimension,
            "fingerprint": self.fingerprint,
            "chunks": self.chunks,
            "sentences": self.sentences,
            "articles": json.dumps(list(self.articles), ensure_ascii=False),
            "schema": self.schema,
        }

    @classmethod
    def from_metadata(cls, meta: dict[str, Any] | None) -> Manifest | None:
        """The manifest, None when there is none; ValueError when it cannot be read."""
        if not meta or not meta.get("active"):
            return None
        try:
            return cls(
                active=str(meta["active"]),
                model=str(meta["model"]),
                dimension=int(meta["dimension"]),
                fingerprint=str(meta["fingerprint"]),
                chunks=int(meta.get("chunks", 0)),
                sentences=int(meta.get("sentences", 0)),
                articles=tuple(json.loads(str(meta.get("articles", "[]")))),
                schema=int(meta.get("schema", 0)),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{type(err).__name__}: {err}") from None


def generation_name() -> str:
    """A new, unique generation name: g<UTC YYYYmmddHHMMSS><6 hex>."""
    return f"g{time.strftime('%Y%m%d%H%M%S', time.gmtime())}{uuid.uuid4().hex[:6]}"


def generation_time(generation: str) -> float:
    """When a generation was started, from its name; 0 (long ago) when the name has no time."""
    match = _GENERATION_TIME.match(generation)
    if not match:
        return 0.0
    try:
        return float(calendar.timegm(time.strptime(match.group(1), "%Y%m%d%H%M%S")))
    except ValueError:
        return 0.0
