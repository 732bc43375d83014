"""Opening an index (qa.retrieval.index, qa.retrieval.loader) reads and never writes."""

from __future__ import annotations

from pathlib import Path

from qa import Assistant, Settings
from qa.store.vectors import text_hash
from tests.conftest import LEAD


def _contents(assistant: Assistant) -> dict[str, int]:
    """Every collection of the index and how many records it holds."""
    client = assistant.store.client
    return {c.name: client.get_collection(c.name).count() for c in client.list_collections()}


def test_opening_an_index_writes_nothing(tmp_path: Path, use_m3) -> None:
    # built without the second encoder: its vectors are not in the embedding cache; a sure answer
    # does not reread (qa.retrieval.evidence), so it embeds nothing either
    Assistant(Settings(index_dir=tmp_path / "idx", second_encoder="none"), embeddings=use_m3).ingest()
    reader = Assistant(Settings(index_dir=tmp_path / "idx", second_encoder="e5-small"), embeddings=use_m3)
    before = _contents(reader)
    index = reader.index()
    assert index.evidence is not None and index.evidence.dimension == 384 + 512 + 1
    assert reader.ask("من اتصل بمن ومتى؟").citations[0].section == LEAD
    assert _contents(reader) == before  # no collection made
    assert len(index.evidence) == 0 and reader.store.cached_vectors("e5-small", [
        text_hash(s.text) for s in index.sentences]) == {}  # no vector made or cached
