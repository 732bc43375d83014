"""The chat UI (`qa serve`): a Gradio app over the public Assistant API.

One shared Assistant answers every visitor (it is thread-safe); the queue bounds how many questions
run at once (`ui_concurrency`) and how many may wait (`ui_queue_size`). Gradio serves no file from
the disk except its own upload and cache folders: no `allowed_paths` are set. All text shown is
escaped by `qa.ui.render`.

    from qa.ui.app import build_app, launch
    launch(Settings(), host="127.0.0.1", port=7860)
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.assistant import Assistant
from qa.errors import ConfigError, QAError
from qa.results import Answer
from qa.settings import Settings
from qa.ui import article_view, export, feedback, markup, render, saved
from qa.ui.article_view import Library
from qa.ui.markup import LABELS
from qa.ui.middleware import BodyLimit, NoRemoteFiles, request_limit
from qa.ui.render import Turn

log = logging.getLogger(__name__)

TOP_K_MAX = 12
_VARIANTS = 4  # other (mode, top_k) combinations kept open
EXPORT_MAX_AGE = 3600.0  # seconds an export file is kept on disk
ASSETS = Path(__file__).resolve().parent  # style.css and autodir.js
TRANSLATION = "en"  # the language of the translations the article view offers
VIEW_CHOICES = [(LABELS["view_original"], "original"), (LABELS["view_translation"], "translation"),
                (LABELS["view_both"], "both")]


def _gradio() -> Any:
    try:
        import gradio as gr
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError("the chat UI needs Gradio: pip install 'qa[ui]'") from None
    return gr


class Assistants:
    """The shared Assistant, plus Assistants for the answer mode and passage count a visitor picks.

    Those share the embedding model and chat model with the main one; only a few are kept."""

    def __init__(self, main: Assistant) -> None:
        self.main = main
        self._lock = threading.Lock()
        self._others: OrderedDict[tuple[str, int], Assistant] = OrderedDict()

    def get(self, mode: str | None, top_k: int | None) -> Assistant:
        base = self.main.settings
        main_mode = mode_of(self.main)
        mode = mode if mode in ("extractive", "llm") else main_mode
        top_k = min(max(int(top_k), 1), TOP_K_MAX) if top_k else base.top_k
        if (mode, top_k) == (main_mode, base.top_k):
            return self.main
        with self._lock:
            found = self._others.pop((mode, top_k), None)
            if found is None:
                settings = base.model_copy(update={"answer_mode": mode, "top_k": top_k})
                # a chat model given to the Assistant means LLM mode: leave it out for extractive
                model = self.main.chat_model if mode == "llm" else None
                found = Assistant(settings, embeddings=self.main.embeddings, chat_model=model)
            self._others[(mode, top_k)] = found
            while len(self._others) > _VARIANTS:
                self._others.popitem(last=False)
            return found


def mode_of(assistant: Assistant) -> str:
    """The answer mode an Assistant works in (a chat model passed to it means LLM mode)."""
    return (
        "llm" if assistant.settings.answer_mode == "llm" or assistant.chat_model is not None else "extractive"
    )


def llm_configured(assistant: Assistant) -> bool:
    s = assistant.settings
    return assistant.chat_model is not None or bool(s.llm_base_url and s.llm_model)


def load_library(assistant: Assistant) -> Library:
    """The indexed articles, read for display (a file that can no longer be read is left out), with
    their English translations aligned sentence by sentence when they have them."""
    return Library(assistant.articles(), assistant.aligned(TRANSLATION), TRANSLATION)


def _is_seed(library: Library) -> bool:
    from qa.resources import seed_articles

    names = {p.stem for p in seed_articles()}
    return any(a.id in names for a in library.articles)


@dataclass
class Answerer:
    """Runs one question through an Assistant and reports the turn as it grows."""

    assistants: Assistants

    def turns(self, question: str, past: list[Turn], mode: str | None = None,
              top_k: int | None = None) -> Iterator[Turn]:
        language = markup.lang_of(question)
        turn = Turn(question=question, language=language)
        limit = self.assistants.main.settings.max_question_chars
        if len(question) > limit:  # refused whole, in the visitor's words; never cut
            yield replace(turn, error=markup.TOO_LONG[language].format(limit=limit, length=len(question)))
            return
        yield turn
        try:
            assistant = self.assistants.get(mode, top_k)
            text = ""
            for piece in assistant.stream(question, render.history(past)):
                if isinstance(piece, Answer):
                    yield replace(turn, question=piece.question or question, language=piece.language,
                                  answer=piece, partial="")
                    return
                text += piece
                yield replace(turn, partial=text)
            raise QAError("the answer ended without a result; please ask again")
        except QAError as err:
            yield replace(turn, error=str(err), partial="")
        except Exception:  # never show a traceback to a visitor; keep it in the server log
            log.exception("answering %r failed", question)
            yield replace(turn, error=markup.UNEXPECTED[language], partial="")


def build_app(assistant: Assistant, *, export_dir: str | Path | None = None) -> Any:
    """The Gradio Blocks app. Events are private to the page except the `/chat` API endpoint."""
    gr = _gradio()
    assistants = Assistants(assistant)
    answerer = Answerer(assistants)
    library = load_library(assistant)
    if export_dir is None:
        export_dir = tempfile.mkdtemp(prefix="qa-ui-export-")
        atexit.register(shutil.rmtree, export_dir, ignore_errors=True)
    exports = Path(export_dir)
    exports.mkdir(parents=True, exist_ok=True)
    with_llm = llm_configured(assistant)
    settings = assistant.settings

    def chat(message: str, history: list[dict[str, Any]] | None = None) -> str:
        """Answer one question about the article. `history`: earlier turns as
        [{"role": "user"|"assistant", "content": str}]. Returns the answer text followed by
        its sources, one `[n] section heading — quoted sentence` line each."""
        try:
            answer = assistant.ask(message, history)
        except QAError as err:
            return export.error_text(str(err), markup.lang_of(message if isinstance(message, str) else ""))
        return export.reply_text(answer)

    def write_exports(turns: list[Turn]) -> tuple[Any, Any]:
        done = [t for t in turns if t.done]
        if not done:
            return (gr.update(value=None, interactive=False), gr.update(value=None, interactive=False))
        for old in exports.iterdir():  # Gradio has copied older exports into its own cache by now
            if old.is_dir() and time.time() - old.stat().st_mtime > EXPORT_MAX_AGE:
                shutil.rmtree(old, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(dir=exports))
        md, js = folder / "qa-conversation.md", folder / "qa-conversation.json"
        md.write_text(export.export_markdown(done), encoding="utf-8")
        js.write_text(export.export_json(done), encoding="utf-8")
        return (gr.update(value=str(md), interactive=True), gr.update(value=str(js), interactive=True))

    def respond(
        message: str, turns: list[Turn], mode: str | None, top_k: float | None, view: str | None = None
    ) -> Iterator[tuple[Any, ...]]:
        turns = list(turns or [])
        if not (message or "").strip():
            yield (gr.skip(),) * 9
            return
        current: Turn | None = None
        empty_box: Any = ""  # empty the question box once, as soon as the question shows in the chat
        busy: Any = gr.update(interactive=False)  # Ask is off until the answer is done
        for current in answerer.turns(message, turns, mode, int(top_k) if top_k else None):
            if not current.done:
                yield (render.messages([*turns, current], library), gr.skip(), gr.skip(), gr.skip(),
                       empty_box, gr.skip(), gr.skip(), busy, gr.skip())
                empty_box = busy = gr.skip()
        assert current is not None
        turns.append(current)
        cited = current.answer.citations if current.answer else []
        md, js = write_exports(turns)
        yield (render.messages(turns, library), turns, render.sources_html(current, library),
               article_view.article_html(library, cited, view or "original"), empty_box, md, js,
               gr.update(interactive=True), saved.dump(turns))

    def clear(view: str | None = None) -> tuple[Any, ...]:
        md, js = write_exports([])
        return (
            [],
            [],
            render.sources_html(None, library),
            article_view.article_html(library, (), view or "original"),
            "",
            md,
            js,
            gr.update(interactive=True),
            [],
        )

    def restore(kept: Any, view: str | None = None) -> tuple[Any, ...]:
        """The conversation this browser kept, shown again after a reload."""
        turns = saved.load(kept)
        last = turns[-1] if turns else None
        cited = last.answer.citations if last is not None and last.answer is not None else []
        md, js = write_exports(turns)
        return (render.messages(turns, library), turns, render.sources_html(last, library),
                article_view.article_html(library, cited, view or "original"), md, js)

    def vote(turns: list[Turn], comment: str, data: Any) -> Any:
        """A 👍 or 👎 on an answer: one line in the feedback file (qa.ui.feedback), with the comment
        box's text, which is then emptied; a vote taken back (Gradio sends liked=None) writes nothing."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        turn = index // 2  # messages alternate: the question, then its answer
        if data.liked is None or data.liked == "" or not 0 <= turn < len(turns or []):
            return gr.skip()
        if turns[turn].answer is None:
            return gr.skip()
        feedback.record(settings.feedback_path, turns, turn, data.liked is True or data.liked == "Like",
                        (comment or "").strip()[:2000])
        return ""

    def vote_event(turns: list[Turn], comment: str, data: Any) -> Any:
        return vote(turns, comment, data)

    vote_event.__annotations__["data"] = gr.LikeData  # how Gradio knows to pass the vote (a real class,
    # not the string `from __future__ import annotations` would leave)

    def show_turn(picked: str, turns: list[Turn], view: str | None) -> tuple[Any, Any]:
        """The sources of the answer whose chip was clicked (the page's script writes "n|time"
        into the hidden `qa-pick` box), its quotes highlighted in the article view."""
        try:
            n = int(str(picked).split("|", 1)[0])
        except ValueError:
            return gr.skip(), gr.skip()
        if not 0 <= n < len(turns or []):
            return gr.skip(), gr.skip()
        turn = turns[n]
        cited = turn.answer.citations if turn.answer is not None else []
        return (render.sources_html(turn, library),
                article_view.article_html(library, cited, view or "original"))

    def show_article(turns: list[Turn], view: str) -> str:
        """The article view in the chosen language(s), the last answer's quotes highlighted."""
        answers = [t.answer for t in turns or [] if t.answer is not None]
        return article_view.article_html(library, answers[-1].citations if answers else (), view)

    with gr.Blocks(title=LABELS["title"], analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        turns_state = gr.State([])
        kept = gr.BrowserState([], storage_key="qa-conversation")  # survives a reload, in this browser
        badge = mode_of(assistant)
        gr.HTML(
            f'<header class="qa-header"><h1 dir="auto">{markup.esc(LABELS["title"])} '
            f'{render.badge(badge)}</h1><p dir="auto">{markup.esc(LABELS["subtitle"])}</p></header>',
            js_on_load=None, elem_id="qa-header",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                chatbot = gr.Chatbot(  # grows with the conversation, up to max_height, then scrolls
                    label=LABELS["conversation"], elem_id="qa-chat", height=None, min_height=120,
                    max_height=520,
                    render_markdown=False, sanitize_html=True, latex_delimiters=[],
                    allow_tags=False, feedback_options=("Like", "Dislike"), buttons=[],
                    allow_file_downloads=False, group_consecutive_messages=False,
                    placeholder=LABELS["chat_placeholder"],
                )
                with gr.Row():
                    box = gr.Textbox(label=LABELS["input"], placeholder=LABELS["placeholder"],
                                     elem_id="qa-input", lines=1, max_lines=6, scale=5, autofocus=False)
                    ask = gr.Button(LABELS["ask"], variant="primary", scale=1, elem_id="qa-ask")
                examples = gr.Examples(render.example_questions(_is_seed(library)), inputs=[box],
                                       label=LABELS["examples"])
                with gr.Row():
                    clear_btn = gr.Button(LABELS["clear"], elem_id="qa-clear", size="sm")
                    md_btn = gr.DownloadButton(
                        LABELS["export_md"], interactive=False, size="sm", elem_id="qa-export-md"
                    )
                    js_btn = gr.DownloadButton(
                        LABELS["export_json"], interactive=False, size="sm", elem_id="qa-export-json"
                    )
                with gr.Row(visible=False, elem_id="qa-clear-confirm") as confirm_row:  # Clear asks first
                    gr.Markdown(LABELS["clear_confirm"])
                    clear_yes = gr.Button(LABELS["clear_yes"], variant="stop", size="sm",
                                          elem_id="qa-clear-yes")
                    clear_no = gr.Button(LABELS["clear_no"], size="sm", elem_id="qa-clear-no")
                comment = gr.Textbox(label=LABELS["comment"], elem_id="qa-comment", lines=1, max_lines=3,
                                     placeholder=LABELS["comment_hint"])
                with gr.Accordion(LABELS["settings"], open=False):
                    mode = gr.Radio(markup.MODE_CHOICES, value=mode_of(assistant), label=LABELS["mode"],
                                    visible=with_llm, elem_id="qa-mode")
                    top_k = gr.Slider(1, TOP_K_MAX, value=min(settings.top_k, TOP_K_MAX), step=1,
                                      label=LABELS["top_k"], elem_id="qa-top-k")
            with gr.Column(scale=2, min_width=320):
                gr.Markdown(f"### {LABELS['sources']}", elem_id="qa-sources-title")
                sources = gr.HTML(render.sources_html(None, library), elem_id="qa-sources", js_on_load=None)
                pick = gr.Textbox(elem_id="qa-pick", elem_classes=["qa-hidden"], show_label=False,
                                  container=False)  # which answer's sources to show: set by the page's script
                with gr.Accordion(LABELS["article"], open=True):
                    view = gr.Radio(VIEW_CHOICES, value="original", label=LABELS["view"], elem_id="qa-view",
                                    visible=library.translated)
                    article = gr.HTML(
                        article_view.article_html(library), elem_id="qa-article", js_on_load=None
                    )

        outputs = [chatbot, turns_state, sources, article, box, md_btn, js_btn, ask, kept]
        inputs = [box, turns_state, mode, top_k, view]
        # Page and API questions share one limit: ui_concurrency answers at a time in all. A second
        # Enter or click while an answer is pending is ignored (the button is off meanwhile).
        gr.on([box.submit, ask.click], respond, inputs, outputs, api_visibility="private",
              show_progress="hidden", concurrency_id="answer", trigger_mode="once")
        # an example question is asked when clicked
        examples.load_input_event.then(respond, inputs, outputs, api_visibility="private",
                                       show_progress="hidden", concurrency_id="answer", trigger_mode="once")
        clear_btn.click(lambda: gr.update(visible=True), None, [confirm_row], api_visibility="private",
                        queue=False)
        clear_no.click(lambda: gr.update(visible=False), None, [confirm_row], api_visibility="private",
                       queue=False)
        clear_yes.click(clear, [view], outputs, api_visibility="private", queue=False).then(
            lambda: gr.update(visible=False), None, [confirm_row], api_visibility="private", queue=False)
        chatbot.like(vote_event, [turns_state, comment], [comment], api_visibility="private", queue=False)
        app.load(restore, [kept, view], [chatbot, turns_state, sources, article, md_btn, js_btn],
                 api_visibility="private", queue=False)
        pick.change(show_turn, [pick, turns_state, view], [sources, article], api_visibility="private",
                   queue=False)
        view.change(show_article, [turns_state, view], [article], api_visibility="private", queue=False)
        gr.api(chat, api_name="chat", concurrency_id="answer")
    app.queue(default_concurrency_limit=settings.ui_concurrency, max_size=settings.ui_queue_size)
    return app


def auth_of(settings: Settings) -> tuple[str, str] | None:
    user = settings.ui_username
    password = settings.ui_password.get_secret_value() if settings.ui_password else None
    if bool(user) != bool(password):
        raise ConfigError("basic sign-in needs both QA_UI_USERNAME and QA_UI_PASSWORD: set both, or neither")
    return (user, password) if user and password else None


def launch(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860, *,
           assistant: Assistant | None = None, block: bool = True, quiet: bool = False) -> Any:
    """Start the UI on http://host:port. `block=False` returns the running app (call `.close()`)."""
    settings = settings or (assistant.settings if assistant else Settings())
    auth = auth_of(settings)
    limit = request_limit(settings)
    assistant = assistant or Assistant(settings)
    assistant.index()  # open (or build) the index now: the first visitor should not wait for it
    app = build_app(assistant)
    gr = _gradio()
    from starlette.middleware import Middleware

    app.launch(
        server_name=host, server_port=port, auth=auth, prevent_thread_lock=not block,
        show_error=False, quiet=quiet, ssr_mode=False, share=False, inbrowser=False,
        max_file_size="1mb", enable_monitoring=False, mcp_server=False, pwa=False,
        footer_links=[], css=ASSETS.joinpath("style.css").read_text(encoding="utf-8"),
        js=ASSETS.joinpath("autodir.js").read_text(encoding="utf-8").replace(
            "QA_LIMIT", str(settings.max_question_chars)),
        app_kwargs={"middleware": [Middleware(BodyLimit, limit=limit), Middleware(NoRemoteFiles)]},
        theme=gr.themes.Default(font=["system-ui", "Segoe UI", "Noto Sans Arabic", "sans-serif"],
                                font_mono=["ui-monospace", "monospace"]),
    )
    return app
