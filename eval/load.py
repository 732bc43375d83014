"""Load test: many concurrent conversations against the Python API and the Gradio app.

    python eval/load.py                         # 32 conversations x 2 turns, 8 at a time, API + UI
    python eval/load.py --conversations 64 --concurrency 16 --max-seconds 120
    python eval/load.py --no-gradio --json      # API only, one JSON object

Each conversation asks its own question (distinct answerable questions of eval/questions.jsonl,
Arabic and English), then a short follow-up that only makes sense with its own history. First
every conversation is run once, one at a time, to learn the expected answer of every turn; then
the same conversations run concurrently on one shared Assistant (and through the Gradio `/chat`
endpoint of an app on 127.0.0.1, one gradio_client per worker), and every reply is compared with
its expectation. A reply that differs is a "crossed" conversation (it answers another question,
or its history leaked); an exception is an error. Both must be 0 (exit status 1 otherwise).

Bounded: at most --conversations conversations, no new ones after --max-seconds, and a run that
has not finished HUNG_GRACE seconds after that is reported as hung (its worker threads are daemons, so the
script still exits). Reports throughput (answers per second), latency percentiles, errors and
crossed conversations per target.
"""

from __future__ import annotations

import argparse
import json
import math
import queue
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "eval" / "questions.jsonl"
HUNG_GRACE = 60.0  # seconds past max_seconds for the conversations under way to finish
FOLLOW_UP = {"en": "And where did that happen?", "ar": "وأين حدث ذلك؟"}

Turn = tuple[str, list[dict[str, str]]]  # (question, history before it)


@dataclass(frozen=True)
class Conversation:
    number: int
    language: str
    turns: tuple[Turn, ...]


@dataclass
class Report:
    target: str
    concurrency: int
    conversations: int
    answers: int
    seconds: float
    throughput: float  # answers per second
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    crossed: int
    hung: bool
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.crossed == 0 and not self.hung and self.answers > 0


def load_questions(path: Path = QUESTIONS) -> list[tuple[str, str]]:
    """(question, language) of the answerable single-turn items, each text once, in file order."""
    seen: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("answerable", True) and not item.get("history") and item["question"] not in seen:
            seen[item["question"]] = item.get("language", "en")
    return list(seen.items())


def plan(n: int, questions: Sequence[tuple[str, str]], ask: Callable[[str, list[dict[str, str]]], str]
         ) -> tuple[list[Conversation], dict[tuple[str, str], str]]:
    """n conversations (question, then a follow-up with that history) and the expected reply of
    every turn, learned one at a time. Questions repeat only when n exceeds the distinct ones."""
    conversations, expected = [], {}
    for number in range(n):
        question, language = questions[number % len(questions)]
        first = ask(question, [])
        expected[_key(question, [])] = first
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": first}]
        follow_up = FOLLOW_UP[language]
        expected[_key(follow_up, history)] = ask(follow_up, history)
        conversations.append(Conversation(number, language, ((question, []), (follow_up, history))))
    return conversations, expected


def _key(question: str, history: list[dict[str, str]]) -> tuple[str, str]:
    return question, json.dumps(history, ensure_ascii=False, sort_keys=True)


def run(target: str, conversations: Sequence[Conversation], expected: dict[tuple[str, str], str],
        make_ask: Callable[[], Callable[[str, list[dict[str, str]]], str]], concurrency: int,
        max_seconds: float) -> Report:
    """Run the conversations on `concurrency` worker threads, each with its own `make_ask()`."""
    todo: queue.Queue[Conversation] = queue.Queue()
    for conversation in conversations:
        todo.put(conversation)
    latencies: list[float] = []
    problems: list[str] = []
    counts = {"errors": 0, "crossed": 0, "answers": 0, "conversations": 0}
    lock = threading.Lock()
    began = time.perf_counter()
    stop_at = began + max_seconds

    def worker() -> None:
        try:
            ask = make_ask()
        except Exception as err:  # counted, not raised: the report says what happened
            with lock:
                counts["errors"] += 1
                problems.append(f"worker setup: {type(err).__name__}: {err}")
            return
        while time.perf_counter() < stop_at:
            try:
                conversation = todo.get_nowait()
            except queue.Empty:
                return
            for question, history in conversation.turns:
                start = time.perf_counter()
                try:
                    reply = ask(question, history)
                except Exception as err:
                    with lock:
                        counts["errors"] += 1
                        problems.append(f"conversation {conversation.number}: {type(err).__name__}: {err}")
                    continue
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    counts["answers"] += 1
                    if reply != expected[_key(question, history)]:
                        counts["crossed"] += 1
                        problems.append(f"conversation {conversation.number}: reply to {question!r} "
                                        f"differs from its single-threaded answer: {reply[:120]!r}")
            with lock:
                counts["conversations"] += 1

    threads = [threading.Thread(target=worker, name=f"load-{i}", daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, began + max_seconds + HUNG_GRACE - time.perf_counter()))
    hung = any(thread.is_alive() for thread in threads)
    seconds = time.perf_counter() - began
    with lock:
        ordered = sorted(latencies)
        return Report(
            target=target, concurrency=concurrency, conversations=counts["conversations"],
            answers=counts["answers"], seconds=round(seconds, 3),
            throughput=round(counts["answers"] / seconds, 2) if seconds > 0 else 0.0,
            p50_ms=_ms(percentile(ordered, 50)), p95_ms=_ms(percentile(ordered, 95)),
            max_ms=_ms(ordered[-1] if ordered else 0.0),
            errors=counts["errors"], crossed=counts["crossed"], hung=hung, problems=problems[:20],
        )


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of sorted values; 0 for none."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# -- targets -------------------------------------------------------------------------------------
def api_ask(assistant: Any) -> Callable[[str, list[dict[str, str]]], str]:
    """The reply as the Python API gives it: the answer text and, per citation, its section and
    quote (so a crossed citation counts too)."""

    def ask(question: str, history: list[dict[str, str]]) -> str:
        answer = assistant.ask(question, history or None)
        sources = "\n".join(f"[{c.marker}] {c.section} — {c.quote}" for c in answer.citations)
        return f"{answer.text}\n{sources}" if sources else answer.text

    return ask


def ui_reply(assistant: Any) -> Callable[[str, list[dict[str, str]]], str]:
    """What the Gradio `/chat` endpoint should reply, from the API directly."""
    from qa.ui.export import reply_text

    return lambda question, history: str(reply_text(assistant.ask(question, history or None)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_ui(assistant: Any) -> tuple[Any, str]:
    from qa.ui.app import launch

    port = free_port()
    app = launch(assistant.settings, "127.0.0.1", port, assistant=assistant, block=False, quiet=True)
    return app, f"http://127.0.0.1:{port}/"


def gradio_ask(url: str) -> Callable[[], Callable[[str, list[dict[str, str]]], str]]:
    def make() -> Callable[[str, list[dict[str, str]]], str]:
        from gradio_client import Client

        client = Client(url, verbose=False, download_files=False)

        def ask(question: str, history: list[dict[str, str]]) -> str:
            return str(client.predict(question, history, api_name="/chat"))

        return ask

    return make


def ui_available() -> str | None:
    """None when the Gradio app and gradio_client can be used, else why not."""
    try:
        import gradio  # noqa: F401
        import gradio_client  # noqa: F401

        import qa.ui.app  # noqa: F401
    except ImportError as err:
        return f"the UI cannot be load-tested: {err}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--conversations", type=int, default=32, help="conversations per target (2 turns each)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="conversations at once (worker threads)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="no new conversation after this")
    parser.add_argument("--index-dir", help="index folder (default: QA_INDEX_DIR or a fresh temp one)")
    parser.add_argument("--no-gradio", action="store_true", help="only the Python API")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.conversations < 1 or args.concurrency < 1 or args.max_seconds <= 0:
        parser.error("--conversations, --concurrency and --max-seconds must be positive")
    reports = load(args.conversations, args.concurrency, args.max_seconds, index_dir=args.index_dir,
                   gradio=not args.no_gradio, say=None if args.json else print)
    if args.json:
        print(json.dumps({"reports": [asdict(r) for r in reports]}, ensure_ascii=False))
    else:
        print_table(reports)
    return 0 if reports and all(r.ok for r in reports) else 1


def load(conversations: int, concurrency: int, max_seconds: float, *, index_dir: str | Path | None = None,
         gradio: bool = True, assistant: Any | None = None,
         say: Callable[[str], None] | None = print) -> list[Report]:
    """Run the load test; see the module docstring. Returns one Report per target. Without an
    assistant or an index folder, a temporary index of the seed is built and removed afterwards."""
    import os
    import shutil
    import tempfile

    from qa import Assistant, Settings

    if assistant is not None:
        return _load(assistant, conversations, concurrency, max_seconds, gradio, say)
    folder = index_dir or os.environ.get("QA_INDEX_DIR")
    temporary = None if folder else tempfile.mkdtemp(prefix="qa-load-")
    try:
        assistant = Assistant(Settings(index_dir=Path(folder or str(temporary))))
        assistant.index()  # build or open it before anything is timed
        return _load(assistant, conversations, concurrency, max_seconds, gradio, say)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
            Path(f"{temporary}.lock").unlink(missing_ok=True)  # qa's ingest lock, beside the folder


def _load(assistant: Any, conversations: int, concurrency: int, max_seconds: float, gradio: bool,
          say: Callable[[str], None] | None) -> list[Report]:
    tell = say or (lambda _m: None)
    questions = load_questions()
    tell(f"load: learning the expected replies of {conversations} conversations, one at a time")
    plan_api, expected_api = plan(conversations, questions, api_ask(assistant))
    reports = [run("api", plan_api, expected_api, lambda: api_ask(assistant), concurrency, max_seconds)]
    tell(f"load: api done ({reports[-1].answers} answers)")
    why = ui_available() if gradio else "not asked for"
    if why is None:
        plan_ui, expected_ui = plan(conversations, questions, ui_reply(assistant))
        app, url = start_ui(assistant)
        try:
            reports.append(run("gradio", plan_ui, expected_ui, gradio_ask(url), concurrency, max_seconds))
        finally:
            app.close()
        tell(f"load: gradio done ({reports[-1].answers} answers)")
    elif gradio:
        tell(f"load: skipping the Gradio app: {why}")
    return reports


def print_table(reports: Sequence[Report]) -> None:
    head = f"{'target':8} {'conc':>4} {'convs':>5} {'answers':>7} {'secs':>7} {'ans/s':>6} " \
           f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6} {'crossed':>7} {'hung':>5}"
    print(head)
    for r in reports:
        print(f"{r.target:8} {r.concurrency:>4} {r.conversations:>5} {r.answers:>7} {r.seconds:>7.1f} "
              f"{r.throughput:>6.2f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.max_ms:>8.1f} {r.errors:>6} "
              f"{r.crossed:>7} {str(r.hung):>5}")
        for problem in r.problems:
            print(f"  ! {problem}")


if __name__ == "__main__":
    sys.exit(main())
