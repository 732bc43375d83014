"""The chat UI: its HTML rendering, and a launched app driven by gradio_client over 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from qa import Answer, Citation, ConfigError, Settings
from qa.ingest.article import read_article
from qa.ui.article_view import Library, article_html
from qa.ui.export import export_json, export_markdown, reply_text
from qa.ui.markup import esc
from qa.ui.render import Turn, messages, reply_html, sources_html
from tests.conftest import HEADINGS, LEAD, REPO, SEED, free_port

pytest.importorskip("gradio")
pytest.importorskip("gradio_client")

HOSTILE = (
    '<img src="http://example.com/x.png" onerror="alert(1)"> ![x](http://example.com/y.png) ${alert(2)} {{x}}'
)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library([read_article(SEED)])


def seed_citation(library: Library, section: int = 1) -> Citation:
    """A real citation: the first sentence of a section, with its span in the article."""
    article = library.articles[0]
    sec = article.sections[section]
    quote = sec.text.split(".")[0] + "."
    return Citation(section=sec.heading, quote=quote, article=article.title, marker=1,
                    start=sec.start, end=sec.start + len(quote))


# -- rendering -----------------------------------------------------------------------------------
def test_everything_shown_is_escaped(library: Library) -> None:
    answer = Answer(text=f"{HOSTILE} [1]", language="en", abstained=False, mode="llm",
                    citations=[Citation(section=HOSTILE, quote=HOSTILE, marker=1)], notice=HOSTILE)
    turn = Turn(question=HOSTILE, language="en", answer=answer)
    rendered = "".join(m["content"] for m in messages([turn], library)) + sources_html(turn, library)
    for raw in ("<img", "${", "{{", "](http"):
        assert raw not in rendered
    assert "&lt;img" in rendered and "&#36;&#123;alert&#40;2)&#125;" in rendered
    md = export_markdown([turn])
    assert re.search(r"(?<!\\)(<img|!\[)", md) is None  # Markdown shows them as text
    assert json.loads(export_json([turn]))["conversation"][0]["answer"]["notice"] == HOSTILE


def test_messages_carry_their_own_direction(library: Library) -> None:
    arabic = Turn(question="من اتصل بمن؟", language="ar", partial="بحسب المقال")
    english = Turn(question="Who called whom?", language="en", partial="According to")
    html = [m["content"] for m in messages([arabic, english], library)]
    assert all('dir="rtl" lang="ar"' in h for h in html[:2])
    assert all('dir="ltr" lang="en"' in h for h in html[2:])


def test_citations_become_chips_that_link_to_their_section(library: Library) -> None:
    citation = seed_citation(library, 1)
    answer = Answer(text=f"«{citation.quote}» [1]", language="ar", abstained=False, mode="extractive",
                    citations=[citation])
    html = reply_html(Turn(question="س", language="ar", answer=answer), library)
    assert 'class="qa-chip" href="#qa-a0-s1"' in html and esc(HEADINGS[1]) in html
    assert 'class="qa-ref" href="#qa-a0-s1"' in html  # the [1] marker in the text links there too
    assert f"«<bdi>{esc(citation.quote)}</bdi>»" in html  # the quote keeps its own direction
    sources = sources_html(Turn(question="س", language="ar", answer=answer), library)
    assert f'<mark class="qa-quote">{esc(citation.quote)}</mark>' in sources
    view = article_html(library, [citation])
    assert [f'id="qa-a0-s{i}"' in view for i in range(len(HEADINGS))] == [True] * len(HEADINGS)
    assert view.count('<mark class="qa-quote">') == 1


def test_abstentions_and_errors_are_shown_as_such(library: Library) -> None:
    abstained = Answer(text="The article does not say.", language="en", abstained=True, mode="extractive")
    html = reply_html(Turn(question="q", language="en", answer=abstained), library)
    assert "qa-badge-abstained" in html and "qa-chip" not in html
    error = reply_html(Turn(question="q", language="en", error="the question is empty"), library)
    assert 'role="alert"' in error and "the question is empty" in error and "Traceback" not in error
    assert "No sources for this question" in sources_html(
        Turn(question="q", language="en", error="x"), library
    )


def test_an_abstentions_related_reading_is_shown_apart(library: Library) -> None:
    near = seed_citation(library, 2)
    related = replace(near, marker=0, quote=f"{near.quote} {HOSTILE}",
                      translation="The attack took place during a meeting.", section_translation="The attack")
    answer = Answer(text="The article does not say. The nearest section is «The attack».", language="en",
                    abstained=True, mode="extractive", related=[related])
    turn = Turn(question="How many were wounded?", language="en", answer=answer)
    html = reply_html(turn, library)
    assert "qa-chip" not in html and related.translation not in html  # never shown as the answer
    sources = sources_html(turn, library)
    assert "The closest the article comes" in sources and related.translation in sources
    assert "<img" not in sources and "&lt;img" in sources
    assert "The closest the article comes" in reply_text(answer)
    exported = json.loads(export_json([turn]))["conversation"][0]["answer"]
    assert exported["related"][0]["section"] == HEADINGS[2]
    assert "The closest the article comes" in export_markdown([turn])


def test_a_reply_to_a_greeting_is_not_shown_as_an_abstention(library: Library) -> None:
    hello = Answer(text="Hello! Ask me anything about the article.", language="en", abstained=False,
                   mode="extractive")
    turn = Turn(question="hello", language="en", answer=hello)
    assert "qa-badge-abstained" not in reply_html(turn, library)
    sources = sources_html(turn, library)
    assert "No sources yet" in sources and "does not answer" not in sources


def test_basic_auth_needs_both_name_and_password() -> None:
    from qa.ui.app import auth_of

    assert auth_of(Settings()) is None
    assert auth_of(Settings(ui_username="u", ui_password="p")) == ("u", "p")
    with pytest.raises(ConfigError, match="QA_UI_PASSWORD"):
        auth_of(Settings(ui_username="u"))


def test_answerer_reports_a_bad_question_kindly(shared_assistant) -> None:
    from qa.ui.app import Answerer, Assistants

    limit = shared_assistant.settings.max_question_chars
    *_, last = Answerer(Assistants(shared_assistant)).turns("؟" + "س" * (limit + 5), [])
    assert last.answer is None and last.error and f"{limit:,}" in last.error
    assert last.language == "ar"


def test_settings_in_the_page_pick_a_sibling_assistant(shared_assistant) -> None:
    from qa.ui.app import Assistants

    pool = Assistants(shared_assistant)
    assert pool.get(None, None) is shared_assistant
    assert pool.get("extractive", shared_assistant.settings.top_k) is shared_assistant
    two = pool.get("extractive", 2)
    assert two is not shared_assistant and two.settings.top_k == 2
    assert two.embeddings is shared_assistant.embeddings and two.chat_model is None
    assert pool.get("extractive", 2) is two
    assert pool.get("nonsense", 999).settings.top_k == 12  # clamped to the slider's range
    answer = two.ask("من اتصل بمن ومتى؟")
    assert len(answer.passages) == 2 and not answer.abstained


# -- the launched app ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(served: str) -> Any:
    from gradio_client import Client

    return Client(served, verbose=False, download_files=False)


@pytest.mark.slow
def test_only_the_chat_endpoint_is_public(client: Any) -> None:
    api = client.view_api(print_info=False, return_format="dict")
    assert list(api["named_endpoints"]) == ["/chat"]


@pytest.mark.slow
@pytest.mark.parametrize("question", ["من اتصل بمن ومتى؟", "Who called whom, and when?"])
def test_chat_endpoint_answers_with_its_headings(client: Any, shared_assistant, question: str) -> None:
    reply = client.predict(question, api_name="/chat")
    expected = shared_assistant.ask(question)
    assert not expected.abstained
    assert reply.startswith(expected.text)
    assert ("المصادر:" if expected.language == "ar" else "Sources:") in reply
    for citation in expected.citations:
        assert f"[{citation.marker}] {citation.section} — {citation.quote}" in reply
    assert LEAD in reply  # the call is reported in the lead section
    assert "14 ديسمبر 2025" in reply


@pytest.mark.slow
def test_concurrent_questions_are_all_answered(client: Any, shared_assistant) -> None:
    questions = ["من اتصل بمن ومتى؟", "Who called whom, and when?", "كم جنديا أمريكيا قتل؟",
                 "How many American soldiers were killed?"] * 2
    jobs = [client.submit(q, api_name="/chat") for q in questions]
    for question, job in zip(questions, jobs, strict=True):
        assert job.result(timeout=60).startswith(shared_assistant.ask(question).text)


@pytest.mark.slow
def test_chat_endpoint_reports_errors_kindly(client: Any) -> None:
    reply = client.predict("   ", api_name="/chat")
    assert "empty" in reply and "Traceback" not in reply


@pytest.mark.slow
def test_chat_endpoint_reads_the_history(client: Any, shared_assistant) -> None:
    history = [{"role": "user", "content": "Who called whom, and when?"},
               {"role": "assistant", "content": "..."}]
    follow_up = "who did that?"
    expected = shared_assistant.ask(follow_up, history)
    assert expected.text != shared_assistant.ask(follow_up).text  # the history matters here
    assert client.predict(follow_up, history, api_name="/chat").startswith(expected.text)
    assert client.predict(follow_up, api_name="/chat").startswith(shared_assistant.ask(follow_up).text)


@pytest.mark.slow
@pytest.mark.parametrize("path", [
    "/etc/passwd",
    str(SEED),
    str(REPO / "pyproject.toml"),
    "pyproject.toml",
    "../../../../etc/passwd",
    "%2Fetc%2Fpasswd",
])
def test_no_file_route_serves_the_disk(served: str, path: str) -> None:
    import httpx

    for route in ("gradio_api/file=", "file=", "gradio_api/file/"):
        response = httpx.get(served + route + path, timeout=10)
        assert response.status_code != 200, f"{route}{path} was served"
        assert "root:" not in response.text and "[project]" not in response.text


@pytest.mark.slow
@pytest.mark.parametrize("url", ["https://93.184.215.14/a.png", "HTTP://example.com/x", "//example.com/x",
                                 "http%3A%2F%2F93.184.215.14%2Fa.png"])
def test_the_file_route_fetches_no_remote_url(served: str, url: str) -> None:
    import httpx

    response = httpx.get(served + "gradio_api/file=" + url, timeout=10)
    assert response.status_code == 403 and "remote files are not served" in response.text


@pytest.mark.slow
def test_nobody_can_upload_files(served: str) -> None:
    import httpx

    response = httpx.post(served + "gradio_api/upload", files={"files": ("x.html", b"<script>1</script>")},
                          timeout=10)
    assert response.status_code == 403 and "no uploads" in response.text


def test_the_request_limit_must_hold_the_longest_question() -> None:
    from qa.ui.middleware import request_limit

    assert request_limit(Settings()) == Settings().ui_max_request_bytes == 262_144
    with pytest.raises(ConfigError, match="QA_UI_MAX_REQUEST_BYTES=20000 .* at least 24384"):
        request_limit(Settings(ui_max_request_bytes=20_000, max_question_chars=2000))


@pytest.mark.slow
def test_an_oversized_request_gets_413_and_the_app_keeps_answering(served: str, client: Any,
                                                                     shared_assistant) -> None:
    import httpx

    limit = shared_assistant.settings.ui_max_request_bytes
    url = served + "gradio_api/call/chat"
    headers = {"Content-Type": "application/json"}
    # the longest question (in JSON escapes, 6 bytes a character) and a long history fit
    question = "ش" * shared_assistant.settings.max_question_chars
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": "ت" * 1000} for i in range(12)]
    fits = json.dumps({"data": [question, history]}).encode()
    assert len(fits) < limit
    response = httpx.post(url, content=fits, headers=headers, timeout=30)
    assert response.status_code == 200 and "event_id" in response.json()
    # declared too big (Content-Length): refused before the body is read
    big = json.dumps({"data": ["x" * limit, []]}).encode()
    response = httpx.post(url, content=big, headers=headers, timeout=30)
    assert response.status_code == 413 and "QA_UI_MAX_REQUEST_BYTES" in response.text

    sent: list[int] = []

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"data": ["'
        for _ in range(limit // 65_536 + 2):
            sent.append(65_536)
            yield b"x" * 65_536
        yield b'", []]}'

    response = httpx.post(url, content=chunked(), headers=headers, timeout=30)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers and sum(sent) > limit
    assert response.status_code == 413 and "QA_UI_MAX_REQUEST_BYTES" in response.text
    # and the app still answers
    for q in ("من اتصل بمن ومتى؟", "Who called whom, and when?"):
        assert client.predict(q, api_name="/chat").startswith(shared_assistant.ask(q).text)


@pytest.mark.slow
def test_sign_in_is_required_when_configured(shared_assistant) -> None:
    import httpx
    from gradio_client import Client

    from qa.ui.app import launch

    settings = shared_assistant.settings.model_copy(
        update={"ui_username": "reader", "ui_password": SecretStr("s3cret")}
    )
    port = free_port()
    app = launch(settings, "127.0.0.1", port, assistant=shared_assistant, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url + "config", timeout=10).status_code == 401
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types
            Client(url, verbose=False)
        authed = Client(url, auth=("reader", "s3cret"), verbose=False)
        assert "14 ديسمبر 2025" in authed.predict("من اتصل بمن ومتى؟", api_name="/chat")
    finally:
        app.close()


# -- `qa serve` ----------------------------------------------------------------------------------
def serve(*args: str, index: Path, **env: str) -> subprocess.Popen[str]:
    full_env = {**os.environ, "QA_INDEX_DIR": str(index), "QA_EMBEDDING_THREADS": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", *args], env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_qa_serve_listens_on_loopback_only(seed_index_dir: Path) -> None:
    import httpx
    import psutil

    port = free_port()
    proc = serve("--port", str(port), index=seed_index_dir)
    lines: list[str] = []
    ready = threading.Event()

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "chat UI on" in line:
                ready.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        # The printed line is what a user waits for: the app answers HTTP a moment before launch() returns.
        assert ready.wait(90) and proc.poll() is None, "".join(lines)
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
        listening = [c.laddr for c in psutil.Process(proc.pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN]
        assert [(a.ip, a.port) for a in listening] == [("127.0.0.1", port)]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
    err = "".join(lines)
    assert proc.returncode == 0, err
    assert f"chat UI on http://127.0.0.1:{port}" in err and "Traceback" not in err


@pytest.mark.slow
def test_qa_serve_refuses_half_a_sign_in(tmp_path: Path) -> None:
    proc = serve("--port", str(free_port()), index=tmp_path, QA_UI_USERNAME="reader")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "QA_UI_PASSWORD" in err and "Traceback" not in err


def test_a_kept_conversation_reads_back_and_garbage_reads_as_none(library: Library) -> None:
    from qa.ui import saved

    citation = seed_citation(library, 1)
    answer = Answer(text=f"«{citation.quote}» [1]", language="ar", abstained=False, mode="extractive",
                    citations=[citation])
    turns = [Turn(question="س", language="ar", answer=answer), Turn(question="q", language="en", error="x"),
             Turn(question="pending", language="en", partial="...")]
    kept = json.loads(json.dumps(saved.dump(turns)))  # as local storage gives it back
    assert saved.load(kept) == turns[:2]  # a pending turn is not kept
    for garbage in (None, "x", [1], [{"question": "q"}], [{"question": "q", "answer": {"text": "t"}}],
                    [{"question": "q", "answer": {**kept[0]["answer"], "mode": "<script>"}}]):
        assert saved.load(garbage) == []
