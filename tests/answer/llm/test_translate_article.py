"""`qa translate`: a chat model (the scripted local server) writes an article's translation, which
is checked, aligned and then indexed with its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import Assistant, ConfigError, Settings
from qa.cli import main
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = pytest.mark.slow  # a local HTTP server

ARTICLE = "عنوان الخبر\nاتصل الوزير بنظيره. وناقشا الهجوم.\nالخلاصة\nالتعاون ضروري.\n"
REPLIES = [
    "HEADING: The news headline\nTEXT:\nThe minister called his counterpart. They discussed the attack.",
    "HEADING: Conclusion\nTEXT:\nCooperation is necessary.",
]


def settings(tmp_path: Path, server: FakeOpenAIServer) -> dict[str, str]:
    return {
        "QA_LLM_BASE_URL": server.base_url,
        "QA_LLM_MODEL": "translator",
        "QA_INDEX_DIR": str(tmp_path / "idx"),
    }


def test_translate_writes_checks_and_reports_coverage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], use_m3) -> None:
    article = tmp_path / "news.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with FakeOpenAIServer() as server:
        for reply in REPLIES:
            server.enqueue(Reply(text=reply))
        for key, value in settings(tmp_path, server).items():
            monkeypatch.setenv(key, value)
        assert main(["translate", str(article), "-q"]) == 0
        assert "عنوان الخبر" in server.requests[0]["messages"][0]["content"]
    out = capsys.readouterr().out
    assert "news.en.md (2 sections)" in out and "3 of 3 sentences" in out
    written = (tmp_path / "news.en.md").read_text(encoding="utf-8")
    assert written.startswith("# The news headline\nThe minister called his counterpart.")
    assert "## Conclusion\nCooperation is necessary." in written
    assistant = Assistant(Settings(articles=[article], index_dir=tmp_path / "idx2"), embeddings=use_m3)
    answer = assistant.ask("What is necessary?")
    assert answer.citations[0].translation == "Cooperation is necessary."
    assert answer.citations[0].section_translation == "Conclusion"
    with FakeOpenAIServer() as server:  # a translation there already is kept unless --force
        for key, value in settings(tmp_path, server).items():
            monkeypatch.setenv(key, value)
        assert main(["translate", str(article)]) == 2
        assert "a translation is there already" in capsys.readouterr().err and not server.requests


def test_a_reply_that_does_not_fit_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "news.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with FakeOpenAIServer() as server:
        server.enqueue(Reply(text="Sure! Here is the translation."), Reply(text="Still no format."))
        for key, value in settings(tmp_path, server).items():
            monkeypatch.setenv(key, value)
        assert main(["translate", str(article), "-q"]) == 2
    assert "translating section 1" in capsys.readouterr().err
    assert not (tmp_path / "news.en.md").exists()


def test_without_an_endpoint_the_error_names_the_settings(tmp_path: Path, use_m3) -> None:
    from qa.answer.llm.translate_article import translate
    from qa.ingest.article import read_article

    article = tmp_path / "news.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ConfigError, match="QA_LLM_MODEL"):
        translate(read_article(article), "en", Settings(index_dir=tmp_path / "idx"), use_m3)
    with pytest.raises(ConfigError, match="QA_LLM_BASE_URL"):
        translate(read_article(article), "en", Settings(index_dir=tmp_path / "idx", llm_model="m"), use_m3)
    assert not (tmp_path / "news.en.md").exists()
