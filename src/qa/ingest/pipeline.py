"""Build or refresh the index from article files: parse, chunk, embed what is new, switch over.

Everything that can fail on bad input (reading, decoding, parsing) happens before the index is
touched. A new generation is written beside the active one and only then activated, so a crash at
any point leaves the previous index answering.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.errors import ArticleError, IndexUnavailableError
from qa.ingest.aligning import TranslationRecord, translation_records
from qa.ingest.article import Article
from qa.ingest.chunking import Chunk, chunk_article
from qa.ingest.one_writer import index_lock
from qa.ingest.translation import find_articles, read_with_translations, translations_of
from qa.results import IngestReport
from qa.settings import Settings
from qa.store.chroma import Store, store_failure
from qa.store.embeddings import E5Embeddings, QAEmbeddings
from qa.store.manifest import SCHEMA_VERSION, Manifest, generation_name
from qa.store.vectors import Progress, embed_with_cache
from qa.text.bridge import vocabulary
from qa.text.places import latin_names

CHUNKER_VERSION = 1  # bump when chunking or sentence splitting changes, to force a rebuild
ALIGNER_VERSION = 2  # bump when a translation's sentences or their alignment change, likewise


def load_articles(settings: Settings, paths: list[Path] | None = None) -> list[Article]:
    files = find_articles(list(paths) if paths else list(settings.articles))
    if not files:
        raise ArticleError(
            ", ".join(str(p) for p in (paths or settings.articles)) or "(none)",
            "no .txt or .md articles found",
            "pass files or folders that hold .txt/.md articles",
        )
    articles = [read_with_translations(f, max_bytes=settings.max_article_bytes) for f in files]
    seen: dict[str, int] = {}
    unique = []
    for article in articles:  # two files with one stem in different folders: keep both apart
        n = seen.get(article.id, 0)
        seen[article.id] = n + 1
        if n:
            article = replace(article, id=f"{article.id}-{n + 1}")
        unique.append(article)
    return unique


def sources(paths: list[Path]) -> list[str]:
    """`path#sha256-prefix` of every article file and of the translations beside it, as the
    manifest records them: a translation added, changed or removed changes them."""
    out = []
    for path in find_articles(list(paths)):
        for file in [path, *(translations_of(path).values() if path.is_file() else ())]:
            try:
                digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
            except OSError:
                digest = "missing"
            out.append(f"{file.resolve()}#{digest}")
    return out


def fingerprint(model: str, settings: Settings, chunks: list[Chunk], articles: list[Article]) -> str:
    """What was indexed: the chunks (their ids hash their text) and every translation's text."""
    digest = hashlib.sha256(
        f"{SCHEMA_VERSION}|{CHUNKER_VERSION}|{model}|{settings.chunk_max_tokens}".encode()
    )
    for chunk in chunks:
        digest.update(chunk.id.encode())
    for article in articles:
        for translation in article.translations:
            digest.update(f"{ALIGNER_VERSION}\x1f{article.id}\x1f{translation.lang}\x1f{translation.text}".encode())
    return digest.hexdigest()


def ingest(
    store: Store,
    embeddings: QAEmbeddings,
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    second: E5Embeddings | None = None,
) -> IngestReport:
    """Index the articles at `paths` (default: settings.articles), replacing what the index held.

    Idempotent: when the index already holds exactly these chunks with this model, nothing is
    written. `rebuild` writes a fresh generation anyway, and ignores a model mismatch or a
    damaged manifest. `second` (qa.store.second_encoder) embeds the sentences into its cache too,
    when settings.second_encoder_at_ingest asks for it; else the answerer embeds a sentence when it
    first rereads it (qa.retrieval.evidence). A failure of the database is an IndexUnavailableError;
    the index in use is
    never switched to a generation that was not written completely."""
    try:
        with index_lock(settings, progress):  # one writer at a time (embedded Chroma is not safe with more)
            return _ingest(
                store, embeddings, settings, paths, rebuild=rebuild, progress=progress, second=second
            )
    except Exception as err:
        if not store_failure(err):
            raise
        raise IndexUnavailableError(
            f"writing the index at {settings.where} failed ({type(err).__name__}: {err})"
            f"{_disk_note(settings)}; "
            "the index in use was not switched: run `qa ingest --rebuild`"
        ) from err


def check_room(settings: Settings, n_floats: int, texts: list[str]) -> None:
    """Refuse to start a generation that the disk cannot hold: embedded Chroma can block
    indefinitely, rather than fail, when it runs out of space while applying its write log."""
    if not settings.embedded:
        return
    # each float32 is kept ~4 times (write log, vector index, WAL, slack), each text ~4 times
    need = n_floats * 4 * 4 + sum(len(t.encode()) for t in texts) * 4 + 2_000_000
    try:
        free = shutil.disk_usage(settings.index_dir).free
    except OSError:
        return
    if free < need:
        raise IndexUnavailableError(
            f"not enough free disk space at {settings.index_dir} for a new generation: about {need:,} "
            f"bytes are needed and {free:,} are free; free some space and run `qa ingest` again "
            "(the index in use is unchanged)"
        )


def _disk_note(settings: Settings) -> str:
    """Why writing may have failed when the disk is (nearly) full; else nothing."""
    if not settings.embedded:
        return ""
    try:
        free = shutil.disk_usage(settings.index_dir).free
    except OSError:
        return ""
    return f"; the disk holding it is full ({free:,} bytes free): free some space" if free < 5_000_000 else ""


def _ingest(
    store: Store,
    embeddings: QAEmbeddings,
    settings: Settings,
    paths: list[Path] | None,
    *,
    rebuild: bool,
    progress: Progress | None,
    second: E5Embeddings | None = None,
) -> IngestReport:
    say = progress or (lambda _msg: None)
    began = time.perf_counter()
    moved = store.migrate_cache()
    if moved:
        say(f"moved {moved} cached vectors into {settings.index_dir / 'embedding-cache.sqlite3'}")
    articles = load_articles(settings, paths)
    chunks = [c for article in articles for c in chunk_article(article, settings.chunk_max_tokens)]
    model = embeddings.model_id
    try:
        current = store.manifest()
    except IndexUnavailableError as err:
        if not rebuild:
            raise
        say(f"ignoring the damaged index, building a new one ({err})")
        current = None
    if current and not rebuild:
        store.check_model(current, model)
    print_ = fingerprint(model, settings, chunks, articles)
    n_sentences = sum(len(c.sentences) for c in chunks)
    if current and current.fingerprint == print_ and not rebuild:
        say(f"index at {settings.where} is up to date ({len(chunks)} chunks); nothing to do")
        return IngestReport(len(articles), len(chunks), n_sentences, 0, 0,
                            time.perf_counter() - began, True, current.active)

    say(f"{len(articles)} article(s), {len(chunks)} chunks, {n_sentences} sentences")
    chunk_texts = [c.embedding_text for c in chunks]
    sentence_texts = [s.text for c in chunks for s in c.sentences]
    words = vocabulary([c.section_heading for c in chunks] + [c.text for c in chunks])
    vectors, embedded, reused = embed_with_cache(
        store, embeddings, chunk_texts + sentence_texts + words, settings.embedding_batch_size, say
    )
    n_chunks, n_sent = len(chunk_texts), len(sentence_texts)
    records: list[TranslationRecord] = []
    if any(a.translations for a in articles):
        say("aligning the translations with their articles, sentence by sentence")
        counts = [0, 0]

        def embed(texts: list[str]) -> np.ndarray:
            found, new, old = embed_with_cache(store, embeddings, texts, settings.embedding_batch_size,
                                               lambda _msg: None)
            counts[0], counts[1] = counts[0] + new, counts[1] + old
            return found

        records, coverage = translation_records(articles, chunks, embed)
        translated = embed([r.text for r in records])
        embedded, reused = embedded + counts[0], reused + counts[1]
        say(f"{coverage.translated} of {coverage.sentences} sentences have a translation "
            f"({len(records)} translation records)")
    if second is not None and settings.second_encoder_at_ingest:
        say(f"the answerer's second encoder ({second.model_id}): {len(sentence_texts)} sentences")
        embed_with_cache(store, second, sentence_texts, settings.embedding_batch_size, say)

    check_room(settings, int(vectors.size), chunk_texts + sentence_texts + words + [r.text for r in records])
    generation = generation_name()
    say(f"writing generation {generation} beside the active one")
    collections = store.new_generation(generation)
    store.add(
        collections["chunks"],
        [c.id for c in chunks],
        vectors[:n_chunks],
        [c.text for c in chunks],
        [c.metadata() for c in chunks],
    )
    ids, docs, metas = [], [], []
    for chunk in chunks:
        for n, sentence in enumerate(chunk.sentences):
            ids.append(f"{chunk.id}:{n}")
            docs.append(sentence.text)
            metas.append(
                {**chunk.metadata(), "chunk_id": chunk.id, "start": sentence.start, "end": sentence.end}
            )
    store.add(collections["sentences"], ids, vectors[n_chunks : n_chunks + n_sent], docs, metas)
    named = latin_names(words)  # qa.text.places: تدمر -> palmyra, tadmur, ...
    # the word in metadata, not as a document: Chroma writes a document into its full-text index
    # too, which cost XQuAD's 9,758 words 1 s of ingest (eval/EXPERIMENTS.md)
    store.add(collections["vocab"], [f"w{i}" for i in range(len(words))], vectors[n_chunks + n_sent :], None,
              [{"word": word, "places": " ".join(named.get(word, ()))} for word in words])
    if records:
        store.add(collections["translations"], [r.id for r in records], translated, [r.text for r in records],
                  [r.metadata() for r in records])

    dimension = int(vectors.shape[1]) if len(vectors) else 0
    say(f"switching to generation {generation}")
    store.activate(Manifest(generation, model, dimension, print_, len(chunks), len(ids),
                            tuple(sources(paths or list(settings.articles)))), rebuild=rebuild,
                   vocab=len(words), translations=len(records))
    seconds = time.perf_counter() - began
    say(f"indexed {len(chunks)} chunks in {seconds:.2f}s ({embedded} embedded, {reused} from cache)")
    return IngestReport(len(articles), len(chunks), len(ids), embedded, reused, seconds, False, generation)
