"""Real Chroma on temp dirs: persistence, idempotent ingest, model identity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import Assistant, ModelMismatchError, Settings
from tests.conftest import LEAD


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reingest_of_unchanged_text_embeds_nothing(use_m3, tmp_path: Path) -> None:
    assistant = Assistant(Settings(index_dir=tmp_path / "i"), embeddings=use_m3)
    first = assistant.ingest()
    assert not first.unchanged and first.embedded > 0 and first.chunks > 0
    again = assistant.ingest()
    assert again.unchanged and again.embedded == 0 and again.generation == first.generation
    rebuilt = assistant.ingest(rebuild=True)
    assert not rebuilt.unchanged and rebuilt.embedded == 0  # every vector came from the cache
    assert rebuilt.generation != first.generation
    assert assistant.ask("من اتصل بمن ومتى؟").citations[0].section == LEAD


def test_changed_text_replaces_old_chunks(use_m3, tmp_path: Path) -> None:
    article = _write(
        tmp_path / "a.txt", "Title one\nThe red fox jumps over the fence.\nOther part\nBlue whales sing.\n"
    )
    settings = Settings(index_dir=tmp_path / "i", articles=[article])
    assistant = Assistant(settings, embeddings=use_m3)
    assistant.ingest()
    assert "fox" in assistant.retrieve("fox", k=1)[0].text
    _write(article, "Title one\nThe green turtle swims slowly.\nOther part\nBlue whales sing.\n")
    report = assistant.ingest()
    assert not report.unchanged
    assert report.embedded >= 1  # only the new text was embedded
    texts = [p.text for p in assistant.retrieve("animal", k=10)]
    assert not any("fox" in t for t in texts)
    assert any("turtle" in t for t in texts)


def test_explicit_articles_are_synced_on_open(use_m3, tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", "Alpha\nThe alpha article talks about mountains.\n")
    b = _write(tmp_path / "b.md", "# Beta\n\nThe beta article talks about rivers.\n")
    index = tmp_path / "i"
    Assistant(Settings(index_dir=index, articles=[a]), embeddings=use_m3).ingest()
    both = Assistant(Settings(index_dir=index, articles=[a, b]), embeddings=use_m3)
    assert {p.article for p in both.retrieve("rivers and mountains", k=5)} == {"Alpha", "Beta"}


@pytest.mark.slow
def test_index_persists_across_processes(seed_index_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index_dir), "QA_EMBEDDING_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", "--json", "من اتصل بمن ومتى؟"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )
    answer = json.loads(out.stdout)
    assert answer["citations"][0]["section"] == LEAD
    assert "qa: 1 article" not in out.stderr  # it used the index on disk, it did not rebuild


@pytest.mark.slow
def test_opening_with_another_model_is_refused(seed_index_dir: Path, tmp_path: Path) -> None:
    import shutil

    from qa.store.embeddings import SentenceTransformerEmbeddings

    path = tmp_path / "i"
    shutil.copytree(seed_index_dir, path)
    minilm = SentenceTransformerEmbeddings("sentence-transformers/all-MiniLM-L6-v2")
    assistant = Assistant(Settings(index_dir=path), embeddings=minilm)
    with pytest.raises(ModelMismatchError) as err:
        assistant.ask("Who called whom?")
    message = str(err.value)
    assert "use-m3" in message and "qa ingest --rebuild" in message and str(path) in message
