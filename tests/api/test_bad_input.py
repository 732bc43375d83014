"""Bad questions and bad articles, through the Python API and the CLI.

A bad question gets either a QuestionError that says what is wrong, or the normal answer to the
cleaned question; never another exception, never a hang. A bad article is refused with an
ArticleError naming the file and the problem, and the index in use is untouched and keeps answering.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa import Answer, Assistant, QuestionError, Settings
from qa.cli import main as cli_main
from qa.errors import ArticleError
from tests.conftest import LEAD, SEED

QUESTION = "Who called whom, and when?"
LIMIT = Settings.model_fields["max_question_chars"].default
HANG_SECONDS = 120  # far above any answer; only a hang gets here


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """call(), or fail if it has not returned after `seconds` (a hang, not a slow answer)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as err:  # handed back to the test thread
            box["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"no answer within {seconds}s: it hangs"
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- questions ---------------------------------------------------------------------------------

REFUSED = "refused"
CLEANED = "cleaned"

QUESTIONS: list[tuple[str, object, str, str]] = [
    # (case, question, outcome, message in the QuestionError | the cleaned question)
    ("empty", "", REFUSED, "the question is empty"),
    ("blank", " \t\n\u3000 ", REFUSED, "the question is empty"),
    ("none", None, REFUSED, "must be text, not NoneType"),
    ("number", 42, REFUSED, "must be text, not int"),
    ("bytes", QUESTION.encode(), REFUSED, "must be text, not bytes"),
    ("over-limit", "x" * (LIMIT + 1), REFUSED, f"{LIMIT + 1:,} characters, over the limit of {LIMIT:,}"),
    ("huge", "who " * 250_000, REFUSED, f"over the limit of {LIMIT:,}"),
    ("only-invisible", "\u200b\u202e\x00\u2066\U000e0041", REFUSED, "no readable text"),
    ("only-markup", "<script>alert(1)</script><br/>", REFUSED, "no readable text"),
    ("nul", "Who\x00 called whom, and when?", CLEANED, QUESTION),
    ("control", "Who\x07 called\x1b[31m whom,\x7f and\x85 when?\x1b[0m", CLEANED, QUESTION),
    ("newlines-tabs", "Who\tcalled\r\nwhom,\n\nand when?", CLEANED, QUESTION),
    ("bidi-override", "\u202eWho called\u202c whom, \u2067and\u2069 when?\u200f", CLEANED, QUESTION),
    ("zero-width", "W\u200bho ca\u200dlled wh\ufeffom,\u2060 and when?", CLEANED, QUESTION),
    ("arabic-marks", "\u061cمن اتصل\u200f بمن\u00ad ومتى؟", CLEANED, "من اتصل بمن ومتى؟"),
    ("html", "<script>alert('x')</script><b>Who</b> called whom, and when?", CLEANED, QUESTION),
    ("html-entities", "&lt;script&gt;alert(1)&lt;/script&gt;Who called whom, and when?", CLEANED, QUESTION),
    ("html-img", '<img src="https://evil.example/x.png" onerror="alert(1)">Who called whom, and when?',
     CLEANED, QUESTION),
    ("lone-surrogates", "Who called\ud800 whom, and when?\udfff", CLEANED, QUESTION),
    ("unicode-tags", "Who called whom, and when?\U000e0069\U000e0067\U000e006e", CLEANED, QUESTION),
    ("at-limit", QUESTION + " " * 10 + "." * (LIMIT - len(QUESTION) - 1), CLEANED,
     QUESTION + " " + "." * (LIMIT - len(QUESTION) - 1)),
]


@pytest.fixture(scope="module")
def plain_answers(shared_assistant) -> dict[str, Answer]:
    """The answers to the cleaned questions, asked as typed by a careful person."""
    return {clean: shared_assistant.ask(clean) for _, _, outcome, clean in QUESTIONS if outcome == CLEANED}


@pytest.mark.parametrize(
    ("case", "question", "outcome", "expected"), QUESTIONS, ids=[q[0] for q in QUESTIONS]
)
def test_bad_question_through_the_api(
    shared_assistant, plain_answers, case: str, question: object, outcome: str, expected: str
) -> None:
    if outcome == REFUSED:
        with pytest.raises(QuestionError) as err:
            within(HANG_SECONDS, lambda: shared_assistant.ask(question))
        assert expected in str(err.value)
        with pytest.raises(QuestionError):
            within(HANG_SECONDS, lambda: shared_assistant.retrieve(question))
        return
    answer = within(HANG_SECONDS, lambda: shared_assistant.ask(question))
    assert answer.question == expected
    assert answer.text == plain_answers[expected].text
    assert answer.citations == plain_answers[expected].citations
    pieces = within(HANG_SECONDS, lambda: list(shared_assistant.stream(question)))
    assert isinstance(pieces[-1], Answer) and pieces[-1].text == answer.text


def test_the_length_limit_is_a_setting(seed_index_dir: Path, use_m3) -> None:
    small = Assistant(Settings(index_dir=seed_index_dir, max_question_chars=20), embeddings=use_m3)
    with pytest.raises(QuestionError, match="26 characters, over the limit of 20.*QA_MAX_QUESTION_CHARS"):
        small.ask(QUESTION)
    assert not small.ask("Who called whom?").abstained


@pytest.mark.parametrize(
    ("history", "message"),
    [
        (5, "history must be a list of messages, not int"),
        ("hello", "not str"),
        ({"role": "user"}, "not dict"),
    ],
)
def test_bad_history_is_refused(shared_assistant, history: object, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        shared_assistant.ask(QUESTION, history=history)  # type: ignore[arg-type]


def test_history_turns_are_cleaned_and_bounded(shared_assistant, plain_answers) -> None:
    history = [
        {"role": "user", "content": "\x00\u202e<b>" + "x" * 50_000},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "\ud800<script>evil()</script>\u200b" + QUESTION},
        {"role": "assistant", "content": None},
        ("only one",),
        {"no": "content"},
    ]
    answer = within(HANG_SECONDS, lambda: shared_assistant.ask("And when?", history=history))
    assert (
        answer.text == shared_assistant.ask("And when?", history=[{"role": "user", "content": QUESTION}]).text
    )
    assert answer.citations[0].section == LEAD


def test_a_huge_history_is_read_only_at_its_end(shared_assistant) -> None:
    history = [{"role": "user", "content": "x" * 100_000}] * 500_000 + [{"role": "user", "content": QUESTION}]
    answer = within(HANG_SECONDS, lambda: shared_assistant.ask("And when?", history=history))
    assert (
        answer.text == shared_assistant.ask("And when?", history=[{"role": "user", "content": QUESTION}]).text
    )


@pytest.fixture
def cli_env(seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_INDEX_DIR", str(seed_index_dir))  # only read: questions never write


@pytest.mark.parametrize(("case", "question", "outcome", "expected"),
                         [q for q in QUESTIONS if isinstance(q[1], str) and "\x00" not in q[1]],
                         ids=[q[0] for q in QUESTIONS if isinstance(q[1], str) and "\x00" not in q[1]])
def test_bad_question_through_the_cli(cli_env, plain_answers, capsys: pytest.CaptureFixture[str],
                                      case: str, question: str, outcome: str, expected: str) -> None:
    code = within(HANG_SECONDS, lambda: cli_main(["ask", question]))
    out, err = capsys.readouterr()
    if outcome == REFUSED:
        assert code == 2
        assert err.startswith("qa: error: ") and expected in err and "Traceback" not in err
        assert out == ""
    else:
        assert code == 0, err
        assert out.startswith(plain_answers[expected].text + "\n")


@pytest.mark.slow
def test_cli_argv_with_undecodable_bytes_and_control_characters(seed_index_dir: Path) -> None:
    """argv that is not UTF-8 reaches Python as lone surrogates; the CLI answers the rest."""
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index_dir), "QA_EMBEDDING_THREADS": "1"}
    question = b"\xff\xfeWho called\x1b[2J whom,\x07 and when?\xed\xa0\x80"
    done = subprocess.run([sys.executable, "-m", "qa.cli", "ask", "--json", question], capture_output=True,
                          env=env, timeout=HANG_SECONDS)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b'"abstained": false' in done.stdout and LEAD.encode() in done.stdout
    empty = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", b"\xe2\x80\x8b\x1b[0m"],
        capture_output=True,
        env=env,
        timeout=HANG_SECONDS,
    )
    assert empty.returncode == 2 and b"qa: error: the question has no readable text" in empty.stderr
    assert b"Traceback" not in empty.stderr


# -- articles ----------------------------------------------------------------------------------

def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(3).randbytes(4000)


ARTICLES: list[tuple[str, str, Callable[[], bytes], str]] = [
    # (case, file name, content, what the error says)
    (
        "cp1256",
        "windows-arabic.txt",
        lambda: "عنوان\nنص المقال باللغة العربية.\n".encode("cp1256"),
        "not UTF-8",
    ),
    ("latin-1", "latin.md", lambda: "# Café\n\nLe résumé du marché.\n".encode("latin-1"), "not UTF-8"),
    ("utf-16", "wide.txt", lambda: "Title\nSome text here.\n".encode("utf-16"), "UTF-16 text, not UTF-8"),
    ("empty", "empty.txt", lambda: b"", "the file is empty"),
    ("blank", "blank.md", lambda: b"  \n\n\t \r\n", "the file is empty"),
    ("binary-png", "image.txt", _png, "binary"),
    ("binary-controls", "controls.txt", lambda: bytes(range(1, 32)) * 200, "binary"),
    ("no-words", "punctuation.txt", lambda: "...\n---\n!!! ؟؟ «» —\n".encode(), "no words"),
    ("only-invisible", "invisible.txt", lambda: "\u200b\u200b\n\u202e\u2066\n".encode(), "no words"),
    ("only-tag-characters", "tags.txt", lambda: "\U000e0041\U000e0042\n".encode(), "no words"),
    (
        "over-size-limit",
        "huge.txt",
        lambda: ("عنوان\n" + "جملة طويلة جدا. " * 200_000).encode()[
            : Settings.model_fields["max_article_bytes"].default + 1
        ],
        "over the 5,000,000-byte limit",
    ),
]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def good_index(seed_index_dir: Path, use_m3, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A private copy of the seed index; bad ingests must leave it exactly as it is."""
    import shutil

    path = tmp_path_factory.mktemp("good") / "index"
    shutil.copytree(seed_index_dir, path)
    assistant = Assistant(Settings(index_dir=path), embeddings=use_m3)
    assert assistant.ask(QUESTION).citations[0].section == LEAD
    return assistant


def _assert_untouched(assistant: Assistant, before: Any) -> None:
    assert assistant.store.manifest() == before
    answer = assistant.ask(QUESTION)
    assert not answer.abstained and answer.citations[0].section == LEAD


@pytest.mark.parametrize(("case", "name", "content", "problem"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_bad_article_is_refused_and_the_index_keeps_answering(
    good_index: Assistant, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, case: str, name: str, content: Callable[[], bytes], problem: str,
) -> None:
    bad = _write(tmp_path / "articles", name, content())
    before = good_index.store.manifest()
    assert before is not None

    with pytest.raises(ArticleError) as err:
        within(HANG_SECONDS, lambda: good_index.ingest([bad]))
    assert str(bad) in str(err.value) and problem in str(err.value)
    assert err.value.path == str(bad)
    _assert_untouched(good_index, before)

    # A folder holding it next to a good article is refused as a whole, naming the bad file.
    _write(tmp_path / "articles", "good.txt", SEED.read_bytes())
    with pytest.raises(ArticleError, match=problem):
        good_index.ingest([tmp_path / "articles"], rebuild=True)
    _assert_untouched(good_index, before)

    # The CLI says the same in one line, exits 2, and leaves the index alone.
    monkeypatch.setenv("QA_INDEX_DIR", str(good_index.settings.index_dir))
    code = within(HANG_SECONDS, lambda: cli_main(["ingest", str(bad)]))
    _, stderr = capsys.readouterr()
    assert code == 2 and stderr.startswith(f"qa: error: article {bad}: ") and problem in stderr
    assert "Traceback" not in stderr
    _assert_untouched(good_index, before)


def test_a_smaller_size_limit_is_a_setting(good_index: Assistant, use_m3, tmp_path: Path) -> None:
    article = _write(tmp_path, "a.txt", SEED.read_bytes())
    small = Assistant(
        Settings(index_dir=good_index.settings.index_dir, max_article_bytes=1000), embeddings=use_m3
    )
    size = article.stat().st_size
    with pytest.raises(
        ArticleError, match=f"{size:,} bytes, over the 1,000-byte limit.*QA_MAX_ARTICLE_BYTES"
    ):
        small.ingest([article])


@pytest.mark.parametrize("case", ["missing", "folder-without-articles", "fifo"])
def test_paths_that_are_not_article_files(good_index: Assistant, tmp_path: Path, case: str) -> None:
    before = good_index.store.manifest()
    if case == "missing":
        path, problem = tmp_path / "nowhere.txt", "no such file"
    elif case == "folder-without-articles":
        path, problem = tmp_path / "empty-folder", "no .txt or .md articles found"
        _write(path, "notes.pdf", b"%PDF-1.4")
    else:
        path, problem = tmp_path / "pipe.txt", "not a regular file"
        os.mkfifo(path)  # reading it would block forever
    with pytest.raises(ArticleError, match=problem) as err:
        within(HANG_SECONDS, lambda: good_index.ingest([path]))
    assert str(path) in str(err.value)
    _assert_untouched(good_index, before)



# -- the UI's /chat endpoint ---------------------------------------------------------------------
# Raw HTTP, as a browser or a script would send it: JSON can carry NUL and lone surrogates
# (as \u escapes), which gradio_client itself cannot encode.

UI_QUESTIONS = [q for q in QUESTIONS if isinstance(q[1], str) and q[0] != "huge"]


@pytest.fixture(scope="module")
def ui_chat(shared_assistant) -> Any:
    pytest.importorskip("gradio")
    ui = pytest.importorskip("qa.ui.app")
    import json
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = ui.launch(
        shared_assistant.settings, "127.0.0.1", port, assistant=shared_assistant, block=False, quiet=True
    )
    call = f"http://127.0.0.1:{port}/gradio_api/call/chat"

    def chat(question: str) -> str:
        posted = httpx.post(call, content=json.dumps({"data": [question, []]}),
                            headers={"content-type": "application/json"}, timeout=60)
        assert posted.status_code == 200, posted.text
        events = httpx.get(f"{call}/{posted.json()['event_id']}", timeout=HANG_SECONDS).text
        match = re.search(r"^event: complete\ndata: (.*)$", events, re.MULTILINE)
        assert match, f"no complete event: {events[:500]}"
        return str(json.loads(match.group(1))[0])

    try:
        yield chat
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "question", "outcome", "expected"), UI_QUESTIONS, ids=[q[0] for q in UI_QUESTIONS]
)
def test_bad_question_through_the_ui(
    ui_chat: Any, plain_answers, case: str, question: str, outcome: str, expected: str
) -> None:
    from qa.ui.export import reply_text

    reply = within(HANG_SECONDS, lambda: ui_chat(question))
    assert "Traceback" not in reply
    if outcome == REFUSED:
        assert expected in reply and reply.startswith(("This question could not be answered:", "تعذّرت"))
    else:
        assert reply == reply_text(plain_answers[expected])
