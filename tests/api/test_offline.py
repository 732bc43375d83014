"""No network at run time: the default path (use-m3, embedded Chroma, extractive answers) builds
an index and answers without opening a socket to anything but loopback, and without looking up a
host name.

1. `qa ingest` and `qa ask` in a subprocess inside a network namespace with no network
   (`unshare -n`, needs root), with a fresh HOME and cache folders and none of the offline
   environment variables (HF_HUB_OFFLINE, ANONYMIZED_TELEMETRY) set. A Python audit hook in the
   subprocess records every socket connect and name lookup, so even an attempt that fails quietly
   is seen.
2. The same in this process with socket.connect and getaddrinfo replaced by ones that refuse (and
   record) anything but loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa import Answer, Assistant, Settings
from tests.conftest import LEAD

QUESTIONS = ("Who called whom, and when?", "من اتصل بمن ومتى؟")

# Loaded by every Python started with this folder first on PYTHONPATH: records, in the file named
# by QA_TEST_NET_LOG, each socket connect and name lookup that is not loopback or a Unix socket.
SITECUSTOMIZE = r'''
import os, sys

_log = os.environ.get("QA_TEST_NET_LOG")

def _local(host):
    host = str(host)
    return host in ("", "None", "localhost", "::1") or host.startswith("127.") or host.startswith("/")

def _hook(event, args):
    if not _log:
        return
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if _local(host):
            return
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        if _local(args[0]):
            return
    else:
        return
    with open(_log, "a", encoding="utf-8") as handle:
        handle.write(f"{event} {args!r}\n")

sys.addaudithook(_hook)
'''


def _unshare_works() -> str | None:
    """None when `unshare -n` can make a network namespace here, else why not."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return "the unshare command is not installed"
    try:
        done = subprocess.run([unshare, "-n", "true"], capture_output=True, text=True, timeout=30)
    except OSError as err:
        return f"unshare cannot run: {err}"
    if done.returncode != 0:
        return f"unshare -n is not permitted here (needs root or CAP_SYS_ADMIN): {done.stderr.strip()}"
    return None


@pytest.mark.slow
def test_ingest_and_ask_in_a_network_namespace_without_network(tmp_path: Path) -> None:
    why = _unshare_works()
    if why:
        pytest.skip(why)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("QA_", "HF_", "TRANSFORMERS_", "ANONYMIZED_", "XDG_", "PYTHONPATH"))}
    env.update({
        "HOME": str(home),  # nothing cached from earlier runs
        "QA_INDEX_DIR": str(tmp_path / "index"),
        "QA_EMBEDDING_THREADS": "1",
        "QA_TEST_NET_LOG": str(log),
        "PYTHONPATH": str(hooks),
    })

    def offline(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["unshare", "-n", "--", sys.executable, "-m", "qa.cli", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    # the hook is live in the subprocess (a lookup is recorded and, with no network, fails)
    probe = subprocess.run(
        [
            "unshare",
            "-n",
            "--",
            sys.executable,
            "-c",
            "import socket\ntry: socket.getaddrinfo('example.org', 80)\nexcept OSError: print('no network')",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert probe.stdout.strip() == "no network", probe.stderr
    assert "example.org" in log.read_text(encoding="utf-8")
    log.unlink()

    ingest = offline("ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout.strip().splitlines()[-1])["chunks"] > 0
    for question in QUESTIONS:
        ask = offline("ask", "--json", question)
        assert ask.returncode == 0, ask.stderr
        answer = json.loads(ask.stdout)
        assert not answer["abstained"] and answer["citations"][0]["section"] == LEAD
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    assert attempts == "", f"the default path tried to reach the network:\n{attempts}"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Sockets may only reach loopback; every other connection or name lookup is recorded and fails."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def local(host: Any) -> bool:
        return host in ("localhost", "::1", "", None) or str(host).startswith("127.")

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX or local(address[0] if isinstance(address, tuple) else address):
            return real_connect(self, address)
        attempts.append(f"connect {address!r}")
        raise OSError(f"network blocked in this test: {address!r}")

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX or local(address[0] if isinstance(address, tuple) else address):
            return real_connect_ex(self, address)
        attempts.append(f"connect_ex {address!r}")
        return 101  # ENETUNREACH

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if local(host):
            return real_getaddrinfo(host, *args, **kwargs)
        attempts.append(f"getaddrinfo {host!r}")
        raise socket.gaierror(f"name lookup blocked in this test: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for key in ("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(key, raising=False)
    yield attempts


def test_blocked_sockets_in_process(no_network: list[str], tmp_path: Path) -> None:
    """The blocker works (a lookup is refused and recorded), then the default path, model load
    included, ingests and answers without any attempt."""
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=5)
    assert no_network == ["getaddrinfo 'example.org'"]
    no_network.clear()

    assistant = Assistant(Settings(index_dir=tmp_path / "index"))  # default model, loaded here
    report = assistant.ingest()
    assert report.chunks > 0 and report.embedded > 0  # the model really ran
    for question in QUESTIONS:
        answer = assistant.ask(question)
        assert not answer.abstained and answer.citations[0].section == LEAD
        assert isinstance(list(assistant.stream(question))[-1], Answer)
    assert assistant.retrieve(QUESTIONS[0], k=3)
    assert no_network == [], f"the default path tried to reach the network: {no_network}"
