"""The readers' snapshot (qa.retrieval.snapshot): a second process opens the index from it, answers
exactly as from Chroma's records, and a damaged or unwritable snapshot only costs the fast path."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, Settings
from qa.retrieval import index as index_module
from qa.retrieval import snapshot

QUESTIONS = [
    ("Who called whom, and when?", None),
    ("من اتصل بمن ومتى؟", None),
    ("شو صار بتدمر؟", None),
    ("How many soldiers were killed?", None),
    ("What time was the call?", None),  # abstains, with related reading
    ("And why?", [{"role": "user", "content": "Who did al-Shaibani call?"},
                  {"role": "assistant",
                   "content": "«اتصل وزير الخارجية السوري أسعد الشيباني بنظيره الأمريكي»"}]),
]


def _copy(seed_index_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(seed_index_dir, path, ignore=shutil.ignore_patterns(snapshot.FOLDER))
    return path


def _answers(assistant: Assistant) -> list[dict[str, object]]:
    out = []
    for question, history in QUESTIONS:
        answer = assistant.ask(question, history)
        out.append({**answer.to_dict(), "passages": [(p.section, p.text, p.score) for p in answer.passages],
                    "related": [(c.section, c.quote) for c in answer.related]})
    return out


def test_a_second_reader_opens_the_snapshot_and_answers_the_same(seed_index_dir, use_m3, tmp_path,
                                                                  monkeypatch) -> None:
    path = _copy(seed_index_dir, tmp_path)
    plain = _answers(Assistant(Settings(index_dir=path, reader_snapshot=False), embeddings=use_m3))
    assert not (path / snapshot.FOLDER).exists()  # with snapshots off, reading writes nothing
    first = Assistant(Settings(index_dir=path), embeddings=use_m3)
    assert _answers(first) == plain
    [written] = list((path / snapshot.FOLDER).iterdir())
    assert {p.name for p in written.iterdir()} >= {
        "state.pickle", "chunks.npy", "sentences.npy", "sections.npy"}

    def no_records(*_args, **_kwargs):
        raise AssertionError("the records were read back from Chroma")

    monkeypatch.setattr(index_module, "load", no_records)
    second = Assistant(Settings(index_dir=path), embeddings=use_m3)
    index = second.index()
    assert isinstance(index._chunk_vectors, np.memmap)  # shared pages, not a private copy
    assert _answers(second) == plain
    assert second.retrieve("Palmyra attack", k=3) == first.retrieve("Palmyra attack", k=3)


def test_a_damaged_snapshot_is_read_past_and_written_anew(seed_index_dir, use_m3, tmp_path, caplog) -> None:
    path = _copy(seed_index_dir, tmp_path)
    expected = _answers(Assistant(Settings(index_dir=path), embeddings=use_m3))
    [written] = list((path / snapshot.FOLDER).iterdir())
    (written / "state.pickle").write_bytes(b"not a pickle")
    assert _answers(Assistant(Settings(index_dir=path), embeddings=use_m3)) == expected
    assert "unreadable reader snapshot" in caplog.text
    assert (written / "state.pickle").read_bytes() != b"not a pickle"  # written again, whole
    assert snapshot.read(path / snapshot.FOLDER, written.name) is not None


def test_a_folder_it_cannot_write_leaves_reading_as_it_was(seed_index_dir, use_m3, tmp_path) -> None:
    path = _copy(seed_index_dir, tmp_path)
    (path / snapshot.FOLDER).write_text("a file where the folder would go")
    expected = _answers(Assistant(Settings(index_dir=path, reader_snapshot=False), embeddings=use_m3))
    assert _answers(Assistant(Settings(index_dir=path), embeddings=use_m3)) == expected
    assert (path / snapshot.FOLDER).read_text() == "a file where the folder would go"


@pytest.mark.parametrize(("changed", "same"), [
    (("g1", "f2", "x"), False),  # the indexed text changed
    (("g2", "f1", "x"), False),  # another generation
    (("g1", "f1", "y"), False),  # other reading settings (k1, the second encoder, the server)
    (("g1", "f1", "x"), True),
])
def test_the_key_follows_what_the_snapshot_depends_on(changed: tuple[str, str, str], same: bool) -> None:
    assert (snapshot.key("g1", "f1", "x") == snapshot.key(*changed)) is same


def test_the_key_follows_qa_own_code(monkeypatch) -> None:
    before = snapshot.key("g1", "f1", "x")
    monkeypatch.setattr(snapshot, "code_digest", lambda: "another tokeniser")
    assert snapshot.key("g1", "f1", "x") != before


def test_only_the_newest_snapshots_are_kept(tmp_path) -> None:
    vectors = {"chunks": np.zeros((2, 3), np.float32)}
    for n in range(snapshot.KEEP + 2):
        assert snapshot.write(tmp_path, f"g{n}-k", {"n": n}, vectors)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == snapshot.KEEP and f"g{snapshot.KEEP + 1}-k" in kept
    read = snapshot.read(tmp_path, f"g{snapshot.KEEP + 1}-k")
    assert read is not None and read.state["n"] == snapshot.KEEP + 1
    assert read.vectors["chunks"].shape == (2, 3)


def test_a_snapshot_someone_else_could_write_is_not_unpickled(tmp_path) -> None:
    assert snapshot.write(tmp_path, "g1-k", {"n": 1}, {"chunks": np.zeros((1, 2), np.float32)})
    (tmp_path / "g1-k" / "state.pickle").chmod(0o666)
    assert snapshot.read(tmp_path, "g1-k") is None


def test_server_mode_keeps_snapshots_in_the_cache_folder_per_server(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    one = snapshot.folder(Settings(chroma_url="http://127.0.0.1:8000", index_dir=tmp_path / "unused"))
    other = snapshot.folder(Settings(chroma_url="http://127.0.0.1:8000", collection_prefix="other"))
    assert one.parent == other.parent == tmp_path / "qa" / snapshot.FOLDER and one != other
    assert snapshot.folder(Settings(index_dir=tmp_path / "idx")) == tmp_path / "idx" / snapshot.FOLDER


def test_large_arrays_of_the_state_open_memory_mapped(tmp_path) -> None:
    big = np.arange(snapshot.SHARED_BYTES // 4 + 1, dtype=np.int32)
    state = {"postings": big, "nested": {"mask": big.astype(np.float32)}, "small": np.ones(3)}
    assert snapshot.write(tmp_path, "g1-k", state, {"chunks": np.zeros((1, 2), np.float32)})
    assert len(list((tmp_path / "g1-k").glob(f"{snapshot.ARRAY}*.npy"))) == 2
    read = snapshot.read(tmp_path, "g1-k")
    assert read is not None and set(read.vectors) == {"chunks"}
    assert isinstance(read.state["postings"], np.memmap) and np.array_equal(read.state["postings"], big)
    assert np.array_equal(read.state["nested"]["mask"], big.astype(np.float32))
    assert not isinstance(read.state["small"], np.memmap)
