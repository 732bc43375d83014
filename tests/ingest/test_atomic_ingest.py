"""Atomic ingestion: `kill -9` in the middle of a re-ingest never loses the previous index, and a
damaged or missing index gives a clear error that `qa ingest --rebuild` gets out of.

The kill test is real: a subprocess re-ingests a folder of synthetic Arabic/English articles and
is SIGKILLed at several points (while saving new vectors to the cache, while writing the new
generation, just before the switch, just after it), each time after a random delay or at a pause
its progress hook makes. The next process then opens the index and must find a complete
generation: the previous one (or, after the switch, the new one), never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from qa import Assistant, IndexUnavailableError, Settings
from qa.ingest.one_writer import lock_path
from qa.ingest.repair import index_problem
from qa.store.chroma import KINDS, STAGING_GRACE_SECONDS, Store
from tests.conftest import LEAD, SEED

QUESTION = "Who called whom, and when?"
WRITERS = 3

def _words(text: str) -> list[str]:
    return text.split()


AR_WORDS = _words(
    "المدينة السوق المزارعون القمح المطر الشتاء النهر الجسر المدرسة الطلاب المكتبة الكتب "
    "القطار المحطة الميناء السفن البحر الصيادون الجبل الغابة الطريق الحافلة المستشفى الأطباء "
    "الحديقة الأشجار المهرجان الموسيقى الملعب الفريق المباراة الجمهور المصنع العمال الكهرباء "
    "الشمس الرياح الطاقة المياه السد الحقول الزيتون البرتقال التجار الأسعار"
)
AR_VERBS = _words("افتتح ناقش زار أعلن بنى نظم درس شاهد وصل غادر جمع باع")
EN_WORDS = _words(
    "harbour orchard library tram bridge festival market river valley bakery museum "
    "lighthouse vineyard quarry glacier meadow railway canal observatory greenhouse"
)


def synthetic_corpus(folder: Path, n_articles: int, *, prefix: str = "synthetic", sections: int = 6,
                     sentences: int = 4, seed: int = 7) -> list[Path]:
    """Articles with headed sections, two in three Arabic, none about the seed's subject."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in range(n_articles):
        english = a % 3 == 2
        lines = []
        for s in range(sections):
            if english:
                lines.append(f"The {rng.choice(EN_WORDS)} report {a}-{s}")
            else:
                lines.append(f"{rng.choice(AR_WORDS)} و{rng.choice(AR_WORDS)} رقم {a}-{s}")
            body = []
            for _ in range(sentences):
                if english:
                    w = rng.sample(EN_WORDS, 4)
                    body.append(f"In {2000 + rng.randrange(25)} the {w[0]} near the {w[1]} welcomed "
                                f"{rng.randrange(10, 999)} visitors to the {w[2]} and the {w[3]}.")
                else:
                    w = rng.sample(AR_WORDS, 4)
                    body.append(f"{rng.choice(AR_VERBS)} {w[0]} في {w[1]} عام {2000 + rng.randrange(25)} "
                                f"مع {rng.randrange(10, 999)} من {w[2]} قرب {w[3]}.")
            lines.append(" ".join(body))
        path = folder / f"{prefix}-{a:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# The subprocess: optionally check the index as a fresh process sees it, then re-ingest, printing
# each progress message as a JSON line; with "pause_at" it stops dead at that message.
WORKER = r'''
import json, sys, time
from pathlib import Path
from qa import Assistant, Settings
from qa.store.chroma import Store

cfg = json.loads(sys.argv[1])
settings = Settings(index_dir=Path(cfg["index_dir"]))

def out(**kw):
    print(json.dumps(kw, ensure_ascii=False), flush=True)

assistant = Assistant(settings)
if cfg.get("check"):
    manifest = Store(settings).manifest()
    if manifest is None:
        out(stage="check", error="no manifest")
        sys.exit(3)
    index = assistant.index()
    answer = assistant.ask(cfg["question"])
    everything = assistant.retrieve(cfg["question"], k=len(index.chunks))
    out(stage="check", generation=manifest.active, chunks=len(index.chunks),
        manifest_chunks=manifest.chunks, sentences=len(index.sentences),
        manifest_sentences=manifest.sentences,
        article_ids=sorted({c.article_id for c in index.chunks}),
        retrieved=sorted({p.article_id for p in everything}),
        passages=sorted({p.article_id for p in answer.passages}),
        cited=[c.section for c in answer.citations], abstained=answer.abstained)

if cfg.get("read_until"):  # ask over and over while others write, until that file exists
    asked, failures = 0, []
    while (not Path(cfg["read_until"]).exists() or asked == 0) and len(failures) < 200:
        try:
            answer = assistant.ask(cfg["question"])
            asked += 1
        except Exception as err:
            failures.append(f"{type(err).__name__}: {err}")
            time.sleep(0.05)
    out(stage="read", asked=asked, failures=failures[:5], failed=len(failures))

pause = cfg.get("pause_at")
def hook(message):
    out(stage="progress", message=message)
    if pause and message.startswith(pause):
        out(stage="paused")
        time.sleep(600)

for paths, rebuild in cfg.get("ingests", []):
    report = assistant.ingest(paths, rebuild=rebuild, progress=hook)
    out(stage="ingested", generation=report.generation, chunks=report.chunks)
out(stage="done")
'''


def _env() -> dict[str, str]:
    return {**os.environ, "QA_EMBEDDING_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def run_worker(script: Path, cfg: dict[str, Any], *, kill_on: str | None = None,
               delay: float | None = None, timeout: float = 240) -> tuple[list[dict[str, Any]], bool]:
    """Run the worker; SIGKILL it `delay` seconds after the progress message starting with
    `kill_on` (delay None: once it has paused there). Returns its JSON lines and whether it was
    killed."""
    proc = subprocess.Popen([sys.executable, str(script), json.dumps(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env())
    lines: list[dict[str, Any]] = []
    killed = False
    deadline = time.monotonic() + timeout
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = json.loads(raw)
            lines.append(line)
            if kill_on is None or killed:
                continue
            armed = line["stage"] == "progress" and line["message"].startswith(kill_on)
            if (delay is None and line["stage"] == "paused") or (delay is not None and armed):
                if delay:
                    time.sleep(delay)
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                proc.wait()
                # what it printed before it died (e.g. that it reached the switch)
                for rest in proc.stdout.read().splitlines():
                    with contextlib.suppress(ValueError):  # a line cut short by the kill
                        lines.append(json.loads(rest))
                break
            if time.monotonic() > deadline:
                break
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    if not killed:
        assert proc.returncode == 0, f"worker failed ({proc.returncode}): {stderr[-3000:]}"
    return lines, killed


def _check(lines: list[dict[str, Any]]) -> dict[str, Any]:
    found = [line for line in lines if line["stage"] == "check"]
    assert found, f"the worker printed no check: {lines}"
    return found[0]


@pytest.mark.slow
def test_kill_9_mid_reingest_never_loses_the_previous_index(tmp_path: Path) -> None:
    rng = random.Random()
    seed = rng.randrange(1_000_000)
    rng.seed(seed)
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    corpus = tmp_path / "corpus"
    synthetic_corpus(corpus, 12)
    index_dir = tmp_path / "index"
    base = {"index_dir": str(index_dir), "question": QUESTION}

    # The synthetic folder first (so most vectors are cached), then the seed: the seed is active.
    lines, _ = run_worker(script, {**base, "ingests": [[[str(corpus)], False], [[str(SEED)], False]]})
    seed_generation = [line for line in lines if line["stage"] == "ingested"][-1]["generation"]
    seed_ids = {SEED.stem}
    complete = {seed_generation: seed_ids}  # generation -> the articles it holds
    active = seed_generation
    candidates = {seed_generation}  # what the next process may find active

    # Kill points: (progress message, delay in seconds or None = paused there).
    plan = [
        ("saving", rng.uniform(0.0, 0.05)),  # while new vectors go into the shared cache
        ("writing", rng.uniform(0.0, 0.15)),  # while the new generation's collections are written
        ("writing", rng.uniform(0.15, 0.6)),
        ("switching", None),  # all written, not yet switched
        ("switching", rng.uniform(0.0, 0.05)),  # during the switch or the clean-up after it
    ]
    log = []
    for n, (kill_on, delay) in enumerate(plan):
        extra = synthetic_corpus(tmp_path / f"extra{n}", 1, prefix=f"extra{n}", seed=100 + n)[0]
        cfg = {**base, "check": True, "ingests": [[[str(corpus), str(extra)], True]],
               "pause_at": kill_on if delay is None else None}
        lines, killed = run_worker(script, cfg, kill_on=kill_on, delay=delay)
        check = _check(lines)
        log.append((kill_on, delay, killed, check["generation"]))
        context = f"random seed {seed}; rounds so far {log}"
        assert check["generation"] in candidates, context
        active = check["generation"]
        _assert_complete(check, complete[active], context)

        staged = [line["message"].split()[2] for line in lines
                  if line["stage"] == "progress" and line["message"].startswith("writing generation")]
        assert killed or staged, f"round {n} neither was killed nor wrote a generation: {lines}"
        new_ids = {p.stem for p in sorted(corpus.iterdir())} | {extra.stem}
        switched = any(line["stage"] == "progress" and line["message"].startswith("switching")
                       for line in lines)
        finished = any(line["stage"] == "ingested" for line in lines)
        candidates = {active}
        if switched or finished:  # the switch may have happened: the new generation is complete
            complete[staged[0]] = new_ids
            candidates.add(staged[0])

    # A complete re-ingest after all that works, and a fresh process sees exactly the seed.
    lines, killed = run_worker(script, {**base, "check": True, "ingests": [[[str(SEED)], True]]})
    assert not killed
    _assert_complete(_check(lines), complete[_check(lines)["generation"]], f"seed {seed}; {log}")
    lines, _ = run_worker(script, {**base, "check": True})
    final = _check(lines)
    _assert_complete(final, seed_ids, f"seed {seed}; {log}")
    assert final["cited"] and final["cited"][0] == LEAD and not final["abstained"]
    print(f"kill rounds (random seed {seed}): {log}")


def _assert_complete(check: dict[str, Any], articles: set[str], context: str) -> None:
    """The generation a fresh process opened holds exactly what its manifest says, from exactly
    the articles that generation was built from: no half-written chunks, no foreign ones."""
    assert "error" not in check, context
    assert check["chunks"] == check["manifest_chunks"] > 0, context
    assert check["sentences"] == check["manifest_sentences"] > 0, context
    assert set(check["article_ids"]) == articles, context
    assert set(check["retrieved"]) <= articles and set(check["passages"]) <= articles, context


@pytest.mark.slow
def test_concurrent_ingests_and_a_reader_in_other_processes(tmp_path: Path) -> None:
    """Three processes re-ingest different folders at the same time while a fourth keeps asking:
    every ingest succeeds (they take turns: without the lock, embedded Chroma loses collections
    and the manifest can end up naming a dropped generation), the reader never fails, and the
    index that is left is exactly one of the three."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    folders = {}
    for n in range(WRITERS):
        folders[n] = tmp_path / f"corpus{n}"
        synthetic_corpus(folders[n], 4, prefix=f"c{n}", seed=200 + n)
    index_dir = tmp_path / "index"
    base = {"index_dir": str(index_dir), "question": QUESTION}
    warm = [[[str(folders[n])], False] for n in range(WRITERS)] + [[[str(SEED)], False]]
    run_worker(script, {**base, "ingests": warm})  # every vector cached: the writers only write

    done = tmp_path / "writers-done"
    reader = subprocess.Popen([sys.executable, str(script), json.dumps({**base, "read_until": str(done)})],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    writers = [subprocess.Popen([sys.executable, str(script),
                                 json.dumps({**base, "ingests": [[[str(folders[n])], True]]})],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
               for n in range(WRITERS)]
    try:
        results = [w.communicate(timeout=240) for w in writers]
    finally:
        done.touch()
        try:
            out, err = reader.communicate(timeout=240)
        finally:
            for proc in (reader, *writers):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    for writer, (stdout, stderr) in zip(writers, results, strict=True):
        assert writer.returncode == 0, stderr[-3000:]
        assert '"stage": "ingested"' in stdout
    assert reader.returncode == 0, err[-3000:]
    read = [json.loads(line) for line in out.splitlines() if '"stage": "read"' in line][0]
    assert read["asked"] > 0 and read["failed"] == 0, read["failures"]

    lines, _ = run_worker(script, {**base, "check": True})
    check = _check(lines)
    held = set(check["article_ids"])
    assert any(held == {p.stem for p in folders[n].iterdir()} for n in range(WRITERS)), held
    _assert_complete(check, held, "after concurrent ingests")


DISK_FULL = r'''
import json, os, sys
from pathlib import Path
from qa import Assistant, QAError, Settings

root = Path(sys.argv[1])
out = {}
settings = Settings(index_dir=root / "index")
assistant = Assistant(settings)
assistant.ingest()
before = assistant.store.manifest()
with open(root / "filler", "wb") as handle:  # leave ~200 kB: far too little for a new generation
    free = os.statvfs(root).f_bavail * os.statvfs(root).f_frsize
    handle.write(b"\0" * max(0, free - 200_000))
try:
    assistant.ingest(rebuild=True)
    out["rebuild"] = "succeeded"
except QAError as err:
    out["rebuild"] = f"{type(err).__name__}: {err}"
fresh = Assistant(Settings(index_dir=root / "index"))
out["same_manifest"] = fresh.store.manifest() == before
out["section"] = fresh.ask(sys.argv[2]).citations[0].section
os.remove(root / "filler")
out["after_freeing"] = fresh.ingest(rebuild=True).chunks
out["section_after"] = fresh.ask(sys.argv[2]).citations[0].section
print(json.dumps(out, ensure_ascii=False))
'''


@pytest.mark.slow
def test_a_full_disk_during_reingest_keeps_the_previous_index(tmp_path: Path) -> None:
    """A re-ingest on a 16 MB tmpfs that is nearly full is refused before it writes anything, with
    a clear error (embedded Chroma can block, rather than fail, when the disk fills while it
    writes); the index in use keeps answering, from a new Assistant too, and a rebuild works once
    there is room again. Runs in a private mount namespace (`unshare -m`, root), so the tmpfs goes
    away with the process."""
    if shutil.which("unshare") is None:
        pytest.skip("the unshare command is not installed")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {tmp_path}"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a mount namespace here (needs root): {probe.stderr.strip()}")
    script = tmp_path / "disk_full.py"
    script.write_text(DISK_FULL, encoding="utf-8")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            'mount -t tmpfs -o size=16m tmpfs "$1" && exec "$2" "$3" "$1" "$4"',
            "sh",
            str(mount),
            sys.executable,
            str(script),
            QUESTION,
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["rebuild"].startswith("IndexUnavailableError: not enough free disk space at "), out
    assert "bytes are needed" in out["rebuild"] and "the index in use is unchanged" in out["rebuild"]
    assert out["same_manifest"] and out["section"] == LEAD
    assert out["after_freeing"] > 0 and out["section_after"] == LEAD


# -- staging generations left behind ---------------------------------------------------------------


@pytest.mark.slow  # several ingests or hundreds of questions: about two seconds
def test_staging_generations_are_dropped_only_when_stale(use_m3, tmp_path: Path) -> None:
    """A crash leaves a staging generation behind: the next switch drops it once it is older than
    the grace period, but keeps a young one (another process may still be writing it)."""
    settings = Settings(index_dir=tmp_path / "i")
    assistant = Assistant(settings, embeddings=use_m3)
    assistant.ingest()
    store = assistant.store
    stale_time = time.gmtime(time.time() - STAGING_GRACE_SECONDS - 120)
    stale = f"g{time.strftime('%Y%m%d%H%M%S', stale_time)}abcdef"
    young = f"g{time.strftime('%Y%m%d%H%M%S', time.gmtime())}123456"
    store.new_generation(stale)
    store.new_generation(young)
    assistant.ingest(rebuild=False, paths=None)  # unchanged: nothing written, nothing dropped
    assert {stale, young} <= _generations(store)
    first = store.manifest()
    assert first is not None
    report = assistant.ingest([SEED, _extra(tmp_path)])
    names = _generations(store)
    assert stale not in names and young in names
    assert {report.generation, first.active} <= names
    assistant.ingest(rebuild=True)  # a rebuild drops every generation but the new one and the last
    manifest = store.manifest()
    assert manifest is not None
    assert _generations(store) == {manifest.active, report.generation}


@pytest.mark.slow  # several ingests or hundreds of questions: about two seconds
def test_dropped_generations_leave_no_files_behind(use_m3, tmp_path: Path) -> None:
    """Chroma leaves a deleted collection's vector files on disk; re-ingesting must not grow the
    index folder without bound."""
    import sqlite3
    import uuid

    index_dir = tmp_path / "i"
    assistant = Assistant(Settings(index_dir=index_dir), embeddings=use_m3)
    assistant.ingest()

    def folders() -> set[str]:
        out = set()
        for path in index_dir.iterdir():
            try:
                if path.is_dir() and str(uuid.UUID(path.name)) == path.name:
                    out.add(path.name)
            except ValueError:
                continue
        return out

    first = folders()
    for _ in range(3):
        assistant.ingest(rebuild=True)
    with sqlite3.connect(index_dir / "chroma.sqlite3") as db:
        segments = {row[0] for row in db.execute("SELECT id FROM segments")}
    assert folders() <= segments, "folders of deleted collections were left behind"
    assert len(folders()) <= len(first) + len(KINDS)  # at most one more generation's worth
    assert assistant.ask(QUESTION).citations[0].section == LEAD


def test_an_unusable_lock_file_is_a_clear_error(use_m3, tmp_path: Path) -> None:
    index_dir = tmp_path / "i"
    lock_path(Settings(index_dir=index_dir)).mkdir(parents=True)  # a folder where the lock file goes
    assistant = Assistant(Settings(index_dir=index_dir), embeddings=use_m3)
    with pytest.raises(IndexUnavailableError, match=r"cannot create the ingest lock .*i\.lock"):
        assistant.ingest()


def _extra(tmp_path: Path) -> Path:
    path = tmp_path / "extra.txt"
    path.write_text("Harbour news\nThe harbour opened a new pier in 2024.\n", encoding="utf-8")
    return path


def _generations(store: Store) -> set[str]:
    names = store._collection_names()
    return {
        "-".join(n.split("-")[1:-1]) for n in names if n.split("-")[-1] in ("chunks", "sentences", "vocab")
    }


def test_an_incomplete_generation_is_never_activated(assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a generation lost records before the switch (e.g. another process dropped it), the
    manifest is not switched and the old index keeps answering."""
    before = assistant.store.manifest()
    real_add = Store.add
    calls = {"n": 0}

    def lossy_add(self: Store, collection: Any, ids: Any, vectors: Any, documents: Any,
                  metadatas: Any = None) -> None:
        calls["n"] += 1
        if calls["n"] == 1:  # the chunks: write only half
            half = len(ids) // 2
            real_add(self, collection, ids[:half], vectors[:half], documents[:half],
                     metadatas[:half] if metadatas else None)
        else:
            real_add(self, collection, ids, vectors, documents, metadatas)

    monkeypatch.setattr(Store, "add", lossy_add)
    with pytest.raises(IndexUnavailableError, match="incomplete"):
        assistant.ingest(rebuild=True)
    monkeypatch.undo()
    assert assistant.store.manifest() == before
    assert assistant.ask(QUESTION).citations[0].section == LEAD


# -- damaged or missing index ----------------------------------------------------------------------


def _damage_sqlite_garbage(index_dir: Path) -> None:
    (index_dir / "chroma.sqlite3").write_bytes(random.Random(1).randbytes(200_000))


def _damage_sqlite_truncated(index_dir: Path) -> None:
    db = index_dir / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[:60_000])


def _damage_folder_is_a_file(index_dir: Path) -> None:
    shutil.rmtree(index_dir)
    index_dir.write_text("not an index", encoding="utf-8")


def _damage_active_generation_dropped(index_dir: Path) -> None:
    store = Store(Settings(index_dir=index_dir))
    manifest = store.manifest()
    assert manifest is not None
    store.client.delete_collection(f"qa-{manifest.active}-chunks")


def _damage_manifest_garbled(index_dir: Path) -> None:
    store = Store(Settings(index_dir=index_dir))
    collection = store.client.get_collection("qa-manifest")
    collection.modify(metadata={**collection.metadata, "dimension": "lots", "articles": "[oops"})


DAMAGE = {
    "sqlite-garbage": (_damage_sqlite_garbage, "cannot open the index", True),
    "sqlite-truncated": (_damage_sqlite_truncated, "cannot open the index", True),
    "folder-is-a-file": (_damage_folder_is_a_file, "cannot open the index", True),
    "active-generation-missing": (_damage_active_generation_dropped, "is missing", False),
    "manifest-garbled": (_damage_manifest_garbled, "manifest cannot be read", False),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_index_gives_a_clear_error_and_rebuild_recovers(
    case: str, seed_index_dir: Path, use_m3, tmp_path: Path
) -> None:
    damage, message, moved_aside = DAMAGE[case]
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    damage(index_dir)

    broken = Assistant(Settings(index_dir=index_dir), embeddings=use_m3)
    with pytest.raises(IndexUnavailableError) as err:
        broken.ask(QUESTION)
    assert message in str(err.value) and "qa ingest --rebuild" in str(err.value)
    assert str(index_dir) in str(err.value)

    said: list[str] = []
    report = broken.ingest(rebuild=True, progress=said.append)
    assert report.chunks > 0
    aside = sorted(tmp_path.glob("index.broken-*"))
    if moved_aside:
        assert len(aside) == 1 and any("moved it aside" in m and str(aside[0]) in m for m in said)
    else:
        assert not aside  # the database was fine: nothing moved
    assert index_problem(index_dir) is None
    assert broken.ask(QUESTION).citations[0].section == LEAD
    fresh = Assistant(Settings(index_dir=index_dir), embeddings=use_m3)
    assert fresh.ask(QUESTION).citations[0].section == LEAD


@pytest.mark.slow
def test_cli_reports_a_corrupt_index_and_rebuild_recovers(seed_index_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir)
    _damage_sqlite_garbage(index_dir)
    env = {**_env(), "QA_INDEX_DIR": str(index_dir)}

    def qa(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True,
                              env=env, timeout=180)

    ask = qa("ask", QUESTION)
    assert ask.returncode == 2 and "Traceback" not in ask.stderr
    assert "qa: error: cannot open the index" in ask.stderr and "qa ingest --rebuild" in ask.stderr
    rebuild = qa("ingest", "--rebuild")
    assert rebuild.returncode == 0, rebuild.stderr
    assert "moved it aside" in rebuild.stderr
    again = qa("ask", "--json", QUESTION)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["citations"][0]["section"] == LEAD
