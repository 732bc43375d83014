"""The chat UI in a real browser: Debian's Chromium, headless, driven by Playwright (no download)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a Playwright browser download
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
ANSWER_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make browser) to run it",
    ),
]
pytest.importorskip("playwright")
pytest.importorskip("gradio")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_app(browser: Any, url: str, requests: list[str] | None = None) -> Any:
    tab = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ar").new_page()
    if requests is not None:
        tab.on("request", lambda r: requests.append(r.url))
    tab.goto(url, wait_until="domcontentloaded")
    tab.wait_for_selector("#qa-input textarea", timeout=30_000)
    return tab


@pytest.fixture(scope="module")
def page(browser: Any, served: str) -> Iterator[tuple[Any, list[str]]]:
    requests: list[str] = []
    tab = open_app(browser, served, requests)
    yield tab, requests
    tab.context.close()


def ask(tab: Any, question: str) -> Any:
    """Type a question, send it, and wait until its streamed answer is finished."""
    done_before = tab.locator("#qa-chat .qa-bot.qa-done").count()
    box = tab.locator("#qa-input textarea")
    box.fill(question)
    box.press("Enter")
    tab.wait_for_function(
        "n => document.querySelectorAll('#qa-chat .qa-bot.qa-done').length > n",
        arg=done_before, timeout=ANSWER_TIMEOUT_MS,
    )
    return tab.locator("#qa-chat .qa-bot.qa-done").last


def has_direction(locator: Any, value: str) -> bool:
    """The computed CSS direction (retried while Gradio re-renders the message)."""
    from playwright.sync_api import expect

    expect(locator).to_have_css("direction", value, timeout=5_000)
    return True


def test_arabic_and_english_questions_render_in_their_direction_with_sources(
    page, shared_assistant, served
) -> None:
    from playwright.sync_api import expect

    tab, requests = page
    arabic_q, english_q = (
        "من اتصل بمن ومتى؟",
        "Which Syrian ministry managed to identify the person who carried out the attack?",
    )
    arabic = shared_assistant.ask(arabic_q)
    english = shared_assistant.ask(english_q, [{"role": "user", "content": arabic_q},
                                               {"role": "assistant", "content": arabic.text}])
    assert arabic.citations and english.citations

    reply = ask(tab, arabic_q)
    user = tab.locator("#qa-chat .qa-user").last
    assert user.inner_text().strip() == arabic_q
    assert has_direction(user, "rtl") and has_direction(reply, "rtl")
    assert "14 ديسمبر 2025" in reply.inner_text()
    chips = reply.locator(".qa-chip")
    assert chips.count() == len(arabic.citations)
    assert arabic.citations[0].section in chips.first.inner_text()
    marks = [m.strip() for m in tab.locator("#qa-sources mark.qa-quote").all_inner_texts()]
    assert arabic.citations[0].quote in marks
    assert has_direction(tab.locator("#qa-sources .qa-source").first, "rtl")
    assert tab.locator("#qa-input textarea").input_value() == ""

    # Jump from the citation to its place in the article.
    href = chips.first.get_attribute("href")
    assert href and href.startswith("#qa-a0-s")
    chips.first.click()
    tab.wait_for_function("h => location.hash === h", arg=href, timeout=5_000)
    target = tab.locator(href)
    assert target.locator(".qa-heading").inner_text().strip() == arabic.citations[0].section
    assert target.evaluate("el => el.matches(':target')")
    expect(target.locator(".qa-heading")).to_be_in_viewport(timeout=5_000)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "ui-chat.png"), full_page=True)  # the Arabic turn

    # An English follow-up in the same conversation reads left to right: it quotes the article's
    # English translation, each quote with its Arabic original under it, right to left.
    reply = ask(tab, english_q)
    assert has_direction(tab.locator("#qa-chat .qa-user").last, "ltr") and has_direction(reply, "ltr")
    assert reply.locator(".qa-text").inner_text().startswith("According to the article")
    lines = reply.locator(".qa-text .qa-line")
    assert has_direction(lines.first, "ltr") and has_direction(lines.nth(1), "ltr")
    assert english.citations[0].translation in lines.nth(1).inner_text()
    original = reply.locator(".qa-text .qa-original").first
    assert has_direction(original, "rtl") and english.citations[0].quote in original.inner_text()
    assert english.citations[0].section_translation in reply.locator(".qa-chip").first.inner_text()
    translated = tab.locator("#qa-sources .qa-source-translation").first
    assert has_direction(translated, "ltr") and english.citations[0].translation in translated.inner_text()
    assert has_direction(tab.locator("#qa-chat .qa-user").first, "rtl")  # the first turn keeps its own
    marks = [m.strip() for m in tab.locator("#qa-sources mark.qa-quote").all_inner_texts()]
    assert english.citations[0].quote in marks

    tab.screenshot(path=str(ARTIFACTS / "ui-chat-english.png"), full_page=True)

    # Nothing was fetched from anywhere but the app itself (no remote fonts, images or scripts).
    remote = [u for u in requests if not u.startswith((served, "data:", "blob:"))]
    assert remote == []


def test_the_article_reads_in_arabic_english_or_both_side_by_side(page) -> None:
    from qa.ui.markup import LABELS

    tab, _ = page
    reply = ask(tab, "Who identified the attacker?")
    assert reply.locator(".qa-original").count() >= 1
    view = tab.locator("#qa-view")
    assert view.is_visible()
    view.get_by_text(LABELS["view_translation"]).click()
    tab.wait_for_selector("#qa-article .qa-view-translation", timeout=10_000)
    article = tab.locator("#qa-article")
    assert "The Syrian Interior Ministry had managed to identify the attacker" in article.inner_text()
    assert "The attack in Palmyra" in article.locator(".qa-heading").all_inner_texts()
    assert has_direction(article.locator(".qa-section").first, "ltr")
    assert "identify the attacker" in " ".join(article.locator("mark.qa-quote").all_inner_texts())
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "ui-article-english.png"), full_page=True)

    view.get_by_text(LABELS["view_both"]).click()
    tab.wait_for_selector("#qa-article .qa-view-both", timeout=10_000)
    rows = article.locator(".qa-aligned .qa-row:not(.qa-row-head)")
    assert rows.count() == 23  # the seed's sentences, each beside its translation
    first = rows.first.locator(".qa-cell")
    assert "في 14 ديسمبر 2025" in first.nth(0).inner_text()
    assert "On 14 December 2025" in first.nth(1).inner_text()
    assert has_direction(first.nth(0), "rtl") and has_direction(first.nth(1), "ltr")
    cells = first.nth(0).bounding_box(), first.nth(1).bounding_box()
    assert cells[0] and cells[1] and abs(cells[0]["y"] - cells[1]["y"]) < 5  # side by side, one row
    tab.screenshot(path=str(ARTIFACTS / "ui-article-side-by-side.png"), full_page=True)
    view.get_by_text(LABELS["view_original"]).click()
    tab.wait_for_selector("#qa-article .qa-view-original", timeout=10_000)


def test_markup_in_a_question_never_runs(page) -> None:
    tab, _ = page
    hostile = 'What about <img src=x onerror="window.__qa_pwned=1"> and <script>window.__qa_pwned=2</script>?'
    ask(tab, hostile)
    assert tab.evaluate("() => window.__qa_pwned === undefined")
    assert tab.locator("#qa-chat img[src=x]").count() == 0


def test_export_then_clear(page) -> None:
    tab, _ = page
    questions = tab.locator("#qa-chat .qa-user").all_inner_texts()
    assert len(questions) >= 2
    with tab.expect_download() as download:
        tab.locator("#qa-export-json").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["conversation"]
    assert [t["question"] for t in exported][:2] == [q.strip() for q in questions][:2]
    assert exported[0]["answer"]["citations"][0]["section"]
    with tab.expect_download() as download:
        tab.locator("#qa-export-md").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert questions[0].strip() in markdown and exported[0]["answer"]["citations"][0]["section"] in markdown

    tab.locator("#qa-clear").click()  # asks first: "No" keeps the conversation
    tab.locator("#qa-clear-no").click()
    tab.locator("#qa-clear-confirm").wait_for(state="hidden", timeout=5_000)
    assert tab.locator("#qa-chat .qa-msg").count() >= 2
    tab.locator("#qa-clear").click()
    tab.locator("#qa-clear-yes").click()
    tab.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-msg').length === 0", timeout=10_000)
    assert tab.locator("#qa-sources mark").count() == 0


# -- LLM mode (a scripted fake chat model: the one edge we cannot have here) ----------------------
@pytest.fixture(scope="module")
def llm_page(browser: Any, seed_index_dir, use_m3) -> Iterator[Any]:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from qa import Assistant, Settings
    from qa.ui.app import launch

    # The stream breaks after two checked sentences: the answer keeps them and says so in a notice.
    text = "الشيباني اتصل بروبيو [1]. وقتل جنديان أمريكيان [1]. " + "x" * 50
    model = FakeListChatModel(responses=[text], error_on_chunk_number=len(text) - 10)
    assistant = Assistant(Settings(index_dir=seed_index_dir, llm_timeout=10, llm_max_retries=0),
                          embeddings=use_m3, chat_model=model)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = launch(assistant.settings, "127.0.0.1", port, assistant=assistant, block=False, quiet=True)
    try:
        tab = open_app(browser, f"http://127.0.0.1:{port}/")
        yield tab
        tab.context.close()
    finally:
        app.close()


def test_llm_mode_shows_its_badge_and_the_fallback_notice(llm_page) -> None:
    tab = llm_page
    assert tab.locator("#qa-header .qa-badge-llm").count() == 1
    reply = ask(tab, "من اتصل بروبيو؟")
    assert reply.locator(".qa-badge-llm").count() == 1
    assert reply.locator(".qa-text").inner_text().count("1") >= 2  # both checked sentences cite [1]
    notice = reply.locator(".qa-notice")
    assert notice.count() == 1 and notice.inner_text().strip()
    assert tab.locator("#qa-sources mark.qa-quote").count() >= 1

    # The visitor can switch to extractive answers in the settings.
    from qa.ui.markup import LABELS

    tab.get_by_text(LABELS["settings"]).click()
    tab.locator("#qa-mode").get_by_text("Extractive").click()
    reply = ask(tab, "من اتصل بمن ومتى؟")
    assert reply.locator(".qa-badge-extractive").count() == 1 and reply.locator(".qa-badge-llm").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "ui-llm-mode.png"), full_page=True)


CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const s = getComputedStyle(el);
  const [a, b] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_quotes_and_chips_are_readable_in_both_themes(browser: Any, served: str, theme: str) -> None:
    """The WCAG contrast of quoted text on its highlight, of a chip and of a badge: >= 4.5:1."""
    errors: list[str] = []
    tab = open_app(browser, f"{served}?__theme={theme}")
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        assert tab.evaluate("document.body.classList.contains('dark')") is (theme == "dark")
        ask(tab, "من اتصل بمن ومتى؟")
        quote = tab.locator(".qa-sources mark.qa-quote").first
        quote.wait_for(timeout=10_000)
        for name, locator in (("quote", quote), ("chip", tab.locator("#qa-chat .qa-chip").first),
                              ("badge", tab.locator("#qa-chat .qa-badge").first)):
            ratio = locator.evaluate(CONTRAST)
            assert ratio >= 4.5, (theme, name, ratio)
        tab.screenshot(path=str(ARTIFACTS / f"ui-theme-{theme}.png"), full_page=True)
        assert errors == []
    finally:
        tab.context.close()


def test_the_phones_first_screen_shows_the_title_box_and_examples(browser: Any, served: str) -> None:
    """At 390x844 nothing scrolls on load, and the title, the question box and the example
    questions are in the first screen; the empty chat does not push them down."""
    tab = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar", is_mobile=True,
                              has_touch=True).new_page()
    try:
        tab.goto(served, wait_until="domcontentloaded")
        tab.wait_for_selector("#qa-input textarea", timeout=30_000)
        tab.wait_for_timeout(1_000)  # anything that would scroll after load has done so
        assert tab.evaluate("window.scrollY") == 0
        for selector in ("#qa-header h1", "#qa-input textarea", "#qa-ask"):
            box = tab.locator(selector).first.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, (selector, box)
        example = tab.get_by_text("من اتصل بمن ومتى؟", exact=True).first.bounding_box()
        assert example is not None and example["y"] + example["height"] <= 844, example
        tab.screenshot(path=str(ARTIFACTS / "ui-phone-first-screen.png"))
    finally:
        tab.context.close()


def test_an_example_is_asked_when_clicked_and_ask_is_off_meanwhile(browser: Any, served: str) -> None:
    tab = open_app(browser, served)
    try:
        done_before = tab.locator("#qa-chat .qa-bot.qa-done").count()
        tab.evaluate("""() => {  // note whether Ask is ever off, however short the answer's wait
          window.qaAskWasOff = false;
          new MutationObserver(() => {
            if (document.querySelector('#qa-ask')?.disabled) window.qaAskWasOff = true;
          }).observe(document.body, {attributes: true, childList: true, subtree: true});
        }""")
        tab.get_by_text("Who called whom, and when?", exact=True).first.click()
        tab.wait_for_function(
            "n => document.querySelectorAll('#qa-chat .qa-bot.qa-done').length > n",
            arg=done_before, timeout=ANSWER_TIMEOUT_MS,
        )
        answer = tab.locator("#qa-chat .qa-bot.qa-done").last
        assert "Marco Rubio" in answer.inner_text()
        assert tab.evaluate("window.qaAskWasOff") is True
        tab.wait_for_function("() => document.querySelector('#qa-ask').disabled === false", timeout=10_000)
    finally:
        tab.context.close()


def test_no_request_from_the_page_fails(browser: Any, served: str) -> None:
    """Load, ask, abstain, export and clear: no response over 399 and no console error. The page
    offers no API panel, whose MCP and monitoring tabs would fail with their servers off."""
    failed: list[tuple[int, str]] = []
    errors: list[str] = []
    tab = open_app(browser, served)
    tab.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        assert tab.get_by_text("Use via API").count() == 0
        ask(tab, "من اتصل بمن ومتى؟")
        ask(tab, "What is the capital of Australia?")
        with tab.expect_download():
            tab.locator("#qa-export-json").click()
        tab.locator("#qa-clear").click()
        tab.locator("#qa-clear-yes").click()
        tab.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-bot').length === 0",
                              timeout=10_000)
        assert failed == [] and errors == []
    finally:
        tab.context.close()


def test_a_long_paste_is_counted_and_refused_whole(browser: Any, served: str) -> None:
    """Near the limit a counter shows; a question over it is refused in the visitor's words, not cut."""
    tab = open_app(browser, served)
    try:
        limit = 2000  # the default QA_MAX_QUESTION_CHARS
        box = tab.locator("#qa-input textarea")
        box.fill("What happened in Palmyra? " * 90)  # 2,340 characters
        assert len(box.input_value()) == 2340  # nothing cut in the box
        counter = tab.locator("#qa-input .qa-count")
        counter.wait_for(timeout=5_000)
        assert counter.inner_text().replace(",", "") == f"2340 / {limit}"
        assert "qa-count-over" in (counter.get_attribute("class") or "")
        box.press("Enter")
        error = tab.locator("#qa-chat .qa-error").last
        error.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert "Questions are limited to 2,000 characters; yours has 2,340" in error.inner_text()
        assert "QA_MAX_QUESTION_CHARS" not in error.inner_text()
        box.fill("Who called whom?")
        assert tab.locator("#qa-input .qa-count").count() == 0
    finally:
        tab.context.close()


def test_a_vote_becomes_a_draft_eval_item(browser: Any, shared_assistant, use_m3, tmp_path: Path) -> None:
    """👍 on an answer appends one line to QA_FEEDBACK_PATH, which `qa eval --set` reads as a draft."""
    from qa import Assistant
    from qa.evaluation import load_items, run_eval
    from qa.ui.app import launch
    from tests.conftest import free_port

    path = tmp_path / "feedback.jsonl"
    settings = shared_assistant.settings.model_copy(update={"feedback_path": path})
    assistant = Assistant(settings, embeddings=use_m3)
    port = free_port()
    app = launch(settings, "127.0.0.1", port, assistant=assistant, block=False, quiet=True)
    tab = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US").new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")  # English labels on the thumbs
    tab.wait_for_selector("#qa-input textarea", timeout=30_000)
    try:
        ask(tab, "من اتصل بمن ومتى؟")
        ask(tab, "Who called whom, and when?")
        tab.locator("#qa-comment textarea").fill("Clear and well sourced.")
        tab.locator("#qa-chat .qa-bot.qa-done").last.hover()  # the thumbs show under the hovered answer
        tab.locator("#qa-chat button[aria-label='Like']").last.click()
        for _ in range(50):
            if path.exists() and path.read_text(encoding="utf-8").strip():
                break
            tab.wait_for_timeout(100)
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == 1
        vote = lines[0]
        assert vote["question"] == "Who called whom, and when?" and vote["answerable"] is None
        assert vote["feedback"]["vote"] == "up" and vote["feedback"]["answer"]["citations"]
        assert vote["feedback"]["comment"] == "Clear and well sourced."
        tab.wait_for_function("() => document.querySelector('#qa-comment textarea').value === ''",
                              timeout=5_000)  # emptied for the next vote
        assert [t["role"] for t in vote["history"]] == ["user", "assistant"]  # the turn before it
        items = load_items(path)
        assert [i.kind for i in items] == ["draft"]
        report = run_eval(assistant, items)
        assert next(m for m in report.metrics if m.key == "drafts").value == 1
        assert next(m for m in report.metrics if m.key == "hit1").n == 0  # left out of every figure
        assert errors == []
    finally:
        tab.context.close()
        app.close()


def test_the_conversation_survives_a_reload(browser: Any, served: str) -> None:
    tab = open_app(browser, served)
    try:
        ask(tab, "من اتصل بمن ومتى؟")
        ask(tab, "What is the capital of Australia?")
        before = tab.locator("#qa-chat .qa-msg").all_inner_texts()
        tab.reload(wait_until="domcontentloaded")
        tab.wait_for_function("n => document.querySelectorAll('#qa-chat .qa-msg').length === n",
                              arg=len(before), timeout=15_000)
        assert tab.locator("#qa-chat .qa-msg").all_inner_texts() == before
        assert tab.locator("#qa-export-json").is_enabled()
        tab.locator("#qa-clear").click()
        tab.locator("#qa-clear-yes").click()
        tab.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-msg').length === 0",
                              timeout=10_000)
        tab.reload(wait_until="domcontentloaded")
        tab.wait_for_selector("#qa-input textarea", timeout=30_000)
        tab.wait_for_timeout(1_000)
        assert tab.locator("#qa-chat .qa-msg").count() == 0  # cleared stays cleared
    finally:
        tab.context.close()


def test_copy_puts_the_answer_and_its_citations_on_the_clipboard(browser: Any, served: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US",
                                  permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    try:
        tab.goto(served, wait_until="domcontentloaded")
        tab.wait_for_selector("#qa-input textarea", timeout=30_000)
        answer = ask(tab, "Who called whom, and when?")
        answer.locator(".qa-copy").click()
        tab.wait_for_selector("#qa-chat .qa-copy.qa-copied", timeout=5_000)
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("According to the article")
        assert "\nSources:\n[1] " in copied
        assert "حراك سوري- أمريكي على خلفية هجوم تدمر — في 14 ديسمبر 2025" in copied
        assert "<" not in copied  # plain text, no markup
    finally:
        context.close()


def test_an_earlier_answers_chip_shows_its_own_sources(browser: Any, served: str) -> None:
    """Every answer keeps its sources: a chip of the first answer, clicked after a second one,
    shows the first answer's quote highlighted; an abstention's nearest sections are links."""
    tab = open_app(browser, served)
    try:
        ask(tab, "من اتصل بمن ومتى؟")
        ask(tab, "What did the interior ministry do?")
        second_quote = tab.locator("#qa-sources mark.qa-quote").first.inner_text()
        tab.locator("#qa-chat .qa-bot").first.locator(".qa-chip").first.click()  # the first answer's
        tab.wait_for_function(
            "q => { const m = document.querySelector('#qa-sources mark.qa-quote');"
            " return m && m.innerText !== q && m.innerText.includes('14 ديسمبر 2025'); }",
            arg=second_quote, timeout=10_000)
        assert tab.locator("#qa-article mark.qa-quote").count() >= 1
        ask(tab, "What is the capital of Australia?")
        nearest = tab.locator("#qa-sources a.qa-nearest")
        assert nearest.count() >= 1 and (nearest.first.get_attribute("href") or "").startswith("#qa-a0-s")
    finally:
        tab.context.close()


def test_on_a_phone_a_chip_opens_its_source_in_place(browser: Any, served: str) -> None:
    tab = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar", is_mobile=True,
                              has_touch=True).new_page()
    try:
        tab.goto(served, wait_until="domcontentloaded")
        tab.wait_for_selector("#qa-input textarea", timeout=30_000)
        answer = ask(tab, "من اتصل بمن ومتى؟")
        chip = answer.locator(".qa-chip").first
        chip.scroll_into_view_if_needed()
        before = tab.evaluate("window.scrollY")
        chip.click()
        card = answer.locator(".qa-card-1")
        card.wait_for(state="visible", timeout=5_000)
        assert "14 ديسمبر 2025" in card.inner_text()
        assert abs(tab.evaluate("window.scrollY") - before) < 200  # no jump to the article below
        assert not tab.url.endswith("-s0")  # the link was not followed
        tab.screenshot(path=str(ARTIFACTS / "ui-phone-source-card.png"))
        assert not tab.locator("#qa-chat .icon-button-wrapper.top-panel").is_visible()  # no clear past Clear
        card.locator(".qa-card-close").click()
        card.wait_for(state="hidden", timeout=5_000)
    finally:
        tab.context.close()
