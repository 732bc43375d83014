"""Shared fixtures: real models loaded once per session; every index lives under tmp_path."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "syria-us-palmyra-call.ar.txt"
LEAD = "حراك سوري- أمريكي على خلفية هجوم تدمر"
HEADINGS = [
    LEAD,
    "الهجوم في تدمر",
    "أهمية الاتصال الهاتفي",
    "التعاون في مواجهة الإرهاب",
    "التحديات الأمنية المستمرة",
    "تحليل آثار الهجوم",
    "استراتيجيات مكافحة الجماعات الإرهابية",
    "الخلاصة",
]
SEED_EN = REPO / "seeds" / "syria-us-palmyra-call.en.txt"  # the project's English translation of the seed
EN_HEADINGS = [
    "Syrian-US moves in the wake of the Palmyra attack",
    "The attack in Palmyra",
    "The importance of the phone call",
    "Cooperation against terrorism",
    "Continuing security challenges",
    "Analysis of the attack's effects",
    "Strategies for combating terrorist groups",
    "Conclusion",
]


@pytest.fixture(autouse=True)
def _isolated_index(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's index: the default index dir points into a temp folder."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path_factory.mktemp("index")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))
    for key in list(os.environ):
        if key.startswith("QA_") and key != "QA_INDEX_DIR":
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def _fast_tests_start_nothing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a process, a server or a browser must be marked `slow`, so that
    `make test-fast` (-m "not slow") starts none: elsewhere starting one fails the test."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"{request.node.nodeid} starts a process or a server: mark it @pytest.mark.slow")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(socket.socket, "listen", refuse)


@pytest.fixture(scope="session")
def use_m3():
    """The default multilingual encoder, loaded once."""
    from qa.store.embeddings import USEM3Embeddings

    model = USEM3Embeddings(threads=2)
    model.embed_query("warm up")
    return model


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory, use_m3) -> Path:
    """An index of the seed, built once per session; copy it before writing to it."""
    from qa import Assistant, Settings

    path = tmp_path_factory.mktemp("seed-index")
    Assistant(Settings(index_dir=path), embeddings=use_m3).ingest()
    return path


@pytest.fixture
def assistant(seed_index_dir: Path, use_m3, tmp_path: Path):
    """An Assistant over a private copy of the seed index."""
    from qa import Assistant, Settings

    path = tmp_path / "index"
    shutil.copytree(seed_index_dir, path)
    return Assistant(Settings(index_dir=path), embeddings=use_m3)


@pytest.fixture(scope="session")
def shared_assistant(seed_index_dir: Path, use_m3):
    """One read-only Assistant for tests that only ask questions."""
    from qa import Assistant, Settings

    return Assistant(Settings(index_dir=seed_index_dir), embeddings=use_m3)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(shared_assistant) -> Iterator[str]:
    """The chat UI launched on 127.0.0.1 over the shared seed Assistant, once per test module."""
    from qa.ui.app import launch

    port = free_port()
    app = launch(
        shared_assistant.settings, "127.0.0.1", port, assistant=shared_assistant, block=False, quiet=True
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def terms_of(reader, text: str) -> list:
    """A text's terms as an index (or a Vocabulary) reads them: qa.question.query.read."""
    from qa.question.query import read

    return list(read(text, reader).terms)
