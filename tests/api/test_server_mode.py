"""Chroma server mode against a real `chroma run` on 127.0.0.1: ingest and query through the
HttpClient, and two qa processes writing and reading one index at the same time."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HEADINGS, LEAD, SEED

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHROMA = Path(sys.executable).parent / "chroma"
EXTRA_TITLE = "مهرجان التمور في بريدة"
EXTRA_HEADINGS = [EXTRA_TITLE, "موعد المهرجان", "أصناف التمور"]
EXTRA = f"""# {EXTRA_TITLE}

تستعد مدينة بريدة لاستضافة مهرجان التمور السنوي بمشاركة مئات المزارعين.

## موعد المهرجان

يبدأ مهرجان التمور في الخامس من أغسطس ويستمر ثلاثة أسابيع في ساحة السوق المركزي.

## أصناف التمور

يعرض المزارعون أصناف السكري والخلاص والبرحي بأسعار تبدأ من ثلاثين ريالاً.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port, stopped at the end of the module."""
    if not CHROMA.exists():
        pytest.skip(f"no chroma CLI at {CHROMA}: pip install chromadb")
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(data / "db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"chroma run did not start: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


@pytest.fixture
def prefix() -> str:
    """Each test gets its own collections on the shared server."""
    return f"t{uuid.uuid4().hex[:10]}"


def test_ingest_and_ask_through_the_server(chroma_url: str, prefix: str, use_m3, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from qa import Assistant, Settings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # where a reader keeps its snapshot

    local = tmp_path / "local-index"
    settings = Settings(chroma_url=chroma_url, collection_prefix=prefix, index_dir=local)
    report = Assistant(settings, embeddings=use_m3).ingest()
    assert report.chunks >= 8 and report.embedded > 0 and not report.unchanged

    reader = Assistant(settings, embeddings=use_m3)  # another client: everything comes from the server
    answer = reader.ask("Who called whom, and when?")
    assert not answer.abstained and answer.citations[0].section == LEAD
    assert "الشيباني" in answer.citations[0].quote
    assert reader.retrieve("الهجوم في تدمر", k=3)[0].section in HEADINGS
    [server] = list((tmp_path / "cache" / "qa" / "snapshots").iterdir())  # one folder per server and prefix
    assert len(list(server.iterdir())) == 1
    assert Assistant(settings, embeddings=use_m3).ask("Who called whom, and when?") == answer  # from it

    again = Assistant(settings, embeddings=use_m3).ingest()
    assert again.unchanged and again.embedded == 0
    rebuilt = Assistant(settings, embeddings=use_m3).ingest(rebuild=True)
    assert rebuilt.embedded == 0 and rebuilt.reused > 0  # the cache lives on the server too
    assert not local.exists() or not any(local.iterdir()), "server mode wrote a local index"


def test_cli_uses_the_server(chroma_url: str, prefix: str, tmp_path: Path) -> None:
    env = {**os.environ, "QA_COLLECTION_PREFIX": prefix, "QA_EMBEDDING_THREADS": "1",
           "QA_INDEX_DIR": str(tmp_path / "unused")}

    def qa(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qa.cli", *args, "--chroma-url", chroma_url],
                              capture_output=True, text=True, env=env, timeout=300)

    ingest = qa("ingest", "-q", "--json")
    assert ingest.returncode == 0, ingest.stderr
    out = qa("ask", "--json", "من اتصل بمن ومتى؟")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["citations"][0]["section"] == LEAD
    assert not (tmp_path / "unused").exists()


def test_a_dead_server_is_a_clear_error(tmp_path: Path) -> None:
    from qa import Assistant, IndexUnavailableError, Settings

    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(IndexUnavailableError, match="chroma run"):
        Assistant(Settings(chroma_url=url)).ask("Who called whom?")


WRITER = """
import json, sys
from qa import Assistant, Settings
url, prefix, small, big, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
assistant = None
for n in range(rounds):
    folder = big if n % 2 else small
    settings = Settings(chroma_url=url, collection_prefix=prefix, articles=[folder], embedding_threads=1)
    a = Assistant(settings, embeddings=assistant.embeddings if assistant else None)
    a.ingest(rebuild=True)
    assistant = a
    print(json.dumps({"round": n, "folder": folder}), flush=True)
"""

READER = """
import json, os, sys, time
from qa import Assistant, Settings
url, prefix, stop_file, texts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
articles = [open(p, encoding="utf-8").read() for p in texts]
questions = ["Who called whom, and when?", "متى يبدأ مهرجان التمور؟", "ما هي الخلاصة؟", "How many soldiers died?"]
a = Assistant(Settings(chroma_url=url, collection_prefix=prefix, embedding_threads=1))
seen, answers, began, stopped = set(), 0, time.monotonic(), None
while time.monotonic() - began < 240:
    if stopped is None and os.path.exists(stop_file):
        stopped = time.monotonic()  # the writer is done: go on until its last generation shows
    if stopped is not None and ("موعد المهرجان" in seen or time.monotonic() - stopped > 60):
        break
    for q in questions:
        answer = a.ask(q)
        answers += 1
        if not answer.abstained:
            assert answer.citations, answer
        for c in answer.citations:
            assert any(c.quote in text for text in articles), c
            seen.add(c.section)
        for p in a.retrieve(q, k=4):
            assert any(p.text in text for text in articles), p
            seen.add(p.section)
print(json.dumps({"answers": answers, "sections": sorted(seen)}, ensure_ascii=False), flush=True)
"""  # noqa: E501 (the article's paragraphs are one line each)


def test_a_writer_and_a_reader_process_stay_consistent(chroma_url: str, prefix: str, use_m3,
                                                       tmp_path: Path) -> None:
    """One process rebuilds the index over and over (alternating two article sets) while another
    asks questions: every answer quotes a real article under a real heading, and afterwards the
    server holds one complete active generation (plus at most the one before it), which the
    reader has followed."""
    from qa import Assistant, Settings
    from qa.store.chroma import KINDS, Store

    small = tmp_path / "small"
    big = tmp_path / "big"
    small.mkdir()
    big.mkdir()
    shutil.copy(SEED, small / SEED.name)
    shutil.copy(SEED, big / SEED.name)
    (big / "festival.md").write_text(EXTRA, encoding="utf-8")
    # the first generation exists before the reader starts
    Assistant(
        Settings(chroma_url=chroma_url, collection_prefix=prefix, articles=[small]), embeddings=use_m3
    ).ingest()

    env = {**os.environ, "QA_EMBEDDING_THREADS": "1"}
    stop = tmp_path / "stop"
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "writer.py").write_text(textwrap.dedent(WRITER), encoding="utf-8")
    (scripts / "reader.py").write_text(textwrap.dedent(READER), encoding="utf-8")
    reader = subprocess.Popen([sys.executable, str(scripts / "reader.py"), chroma_url, prefix, str(stop),
                               str(SEED), str(big / "festival.md")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        writer = subprocess.run([sys.executable, str(scripts / "writer.py"), chroma_url, prefix, str(small),
                                 str(big), "4"], capture_output=True, text=True, env=env, timeout=300)
        assert writer.returncode == 0, writer.stderr[-3000:]
        assert len(writer.stdout.splitlines()) == 4
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err[-3000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["answers"] >= 4
    assert set(summary["sections"]) <= set(HEADINGS) | set(EXTRA_HEADINGS)
    assert set(summary["sections"]) & set(EXTRA_HEADINGS), "the reader never followed a new generation"

    # the last round indexed the big set: the active generation is complete and holds exactly it
    store = Store(Settings(chroma_url=chroma_url, collection_prefix=prefix))
    manifest = store.manifest()
    assert manifest is not None and len(manifest.articles) == 2
    chunks = store.collection(manifest.active, "chunks").get(include=["metadatas"])
    sentences = store.collection(manifest.active, "sentences")
    assert len(chunks["ids"]) == manifest.chunks and sentences.count() == manifest.sentences
    assert {m["article_title"] for m in chunks["metadatas"]} == {LEAD, EXTRA_TITLE}
    generations = {name.split("-")[1] for name in store._collection_names()
                   if name.split("-")[-1] in KINDS and name.startswith(f"{prefix}-g")}
    assert manifest.active in generations and len(generations) <= 2

    answer = Assistant(Settings(chroma_url=chroma_url, collection_prefix=prefix), embeddings=use_m3).ask(
        "متى يبدأ مهرجان التمور؟")
    assert answer.citations[0].article == EXTRA_TITLE
