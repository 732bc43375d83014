"""The `qa` command. Imports only what each subcommand needs, so `qa ask` starts fast.

Errors that qa raises on purpose (QAError) print one line and exit 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

EXAMPLES = {
    "qa": """examples:
  qa ingest                                   index the bundled article (or QA_ARTICLES)
  qa ask "Who called whom, and when?"         answer in the terminal, quoting the article
  qa serve                                    the chat on http://127.0.0.1:7860
  qa ask --help                               more on one command""",
    "ingest": """examples:
  qa ingest                                   the configured articles (QA_ARTICLES; default: the seed)
  qa ingest news/ --index-dir ~/.qa/news      every .txt/.md article in a folder, with translations
  qa ingest article.md --rebuild --json       a fresh index; the report as JSON""",
    "ask": """examples:
  qa ask "Who called whom, and when?"
  qa ask "من اتصل بمن ومتى؟" --json
  qa ask "What did Rubio say?" --mode llm --stream""",
    "serve": """examples:
  qa serve                                    http://127.0.0.1:7860, this machine only
  qa serve --port 8080 --mode llm""",
    "translate": """examples:
  QA_LLM_BASE_URL=http://127.0.0.1:8000/v1 QA_LLM_MODEL=my-model qa translate article.txt
  qa translate article.md --to en --force     write article.en.md again""",
    "eval": """examples:
  qa eval                                     eval/questions.jsonl, reports in reports/
  qa eval --set eval/dev.jsonl --min-first-citation 0.9""",
    "compare": """examples:
  qa compare reports/eval-extractive-A.json reports/eval-extractive-B.json""",
}


def _version() -> str:
    """The installed version, from the package metadata (no import of qa's modules: it stays fast)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qa")
    except PackageNotFoundError:
        return "0+unknown"


def _settings(args: argparse.Namespace, **extra: Any) -> Any:
    from qa.settings import Settings

    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    for key in ("index_dir", "chroma_url", "embedding_model", "answer_mode", "top_k", "llm_base_url",
                "llm_model", "llm_timeout"):
        value = getattr(args, key, None)
        if value is not None:
            overrides[key] = value
    return Settings(**overrides)


def cmd_ingest(args: argparse.Namespace) -> int:
    from qa.assistant import Assistant
    from qa.console import progress

    settings = _settings(args, articles=args.paths or None)
    with progress(args.quiet) as say:
        assistant = Assistant(settings)
        report = assistant.ingest(args.paths or None, rebuild=args.rebuild, progress=say)
        if settings.reader_snapshot:  # so the first reader opens it fast too (qa.retrieval.snapshot)
            if say is not None:
                say("writing the readers' snapshot")
            assistant.index()
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.assistant import Assistant
    from qa.results import Answer

    assistant = Assistant(_settings(args))
    if args.stream and not args.json:
        final: Answer | None = None
        for piece in assistant.stream(args.question):
            if isinstance(piece, Answer):
                final = piece
            else:
                print(piece, end="", flush=True)
        print()
        if final is not None:
            _print_sources(final)
        return 0
    answer = assistant.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(answer.text)
        _print_sources(answer)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from qa.ui.app import auth_of, launch

    settings = _settings(args)
    auth_of(settings)  # a half-configured sign-in fails here, before anything starts
    if args.host not in ("127.0.0.1", "localhost", "::1") and not settings.ui_username:
        print(f"qa: note: serving on {args.host} without sign-in; set QA_UI_USERNAME and QA_UI_PASSWORD "
              "to require one", file=sys.stderr)
    print("qa: opening the index and starting the chat UI…", file=sys.stderr, flush=True)
    app = None
    try:  # Ctrl+C while the app still starts (it answers HTTP before launch() returns) stops it cleanly too
        app = launch(settings, host=args.host, port=args.port, quiet=True, block=False)
        print(f"qa: chat UI on http://{args.host}:{args.port} (Ctrl+C to stop)", file=sys.stderr, flush=True)
        while app.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if app is not None:
            app.close()
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from qa.answer.llm.translate_article import translate
    from qa.console import progress
    from qa.ingest.article import read_article
    from qa.store.embeddings import make_embeddings

    settings = _settings(args)
    article = read_article(Path(args.path), max_bytes=settings.max_article_bytes)
    embeddings = make_embeddings(settings.embedding_model, settings.embedding_threads)
    with progress(args.quiet) as say:
        written = translate(article, args.to, settings, embeddings, force=args.force, say=say)
    coverage = written.coverage
    print(
        f"wrote {written.path} ({written.sections} sections); {coverage.translated} of {coverage.sentences} "
        f"sentences of the article align with a translated sentence ({coverage.share:.0%}). "
        "Run `qa ingest` to index it with its article."
    )
    return 0


def _print_sources(answer: Any) -> None:
    if answer.notice:
        print(f"\n({answer.notice})")
    if answer.citations:
        print("\nSources:" if answer.language == "en" else "\nالمصادر:")
        for c in answer.citations:
            if c.translation:  # the translation, then the original it translates
                print(f"  [{c.marker}] {c.section_translation or c.section} — {c.translation}")
                print(f"      {c.section} — {c.quote}")
            else:
                print(f"  [{c.marker}] {c.section} — {c.quote}")
    if answer.related:  # an abstention's closest sentences: shown apart, never as the answer
        from qa.answer.messages import TEXT

        print(f"\n{TEXT[answer.language]['related']}")
        for c in answer.related:
            if c.translation:
                print(f"  - {c.section_translation or c.section} — {c.translation}")
                print(f"      {c.section} — {c.quote}")
            else:
                print(f"  - {c.section} — {c.quote}")


def cmd_eval(args: argparse.Namespace) -> int:
    from rich.console import Console

    from qa.answer.llm.client import configured_chat_model
    from qa.assistant import Assistant
    from qa.evaluation import (
        THRESHOLDS,
        check_thresholds,
        load_items,
        print_report,
        run_eval,
        write_reports,
    )
    from qa.evaluation.report import check_out_dir, progress

    check_out_dir(args.out)  # before the run, not after it
    settings = _settings(args)
    if settings.answer_mode == "llm":  # scoring llm mode on extractive fallbacks would mislead
        from qa.answer.llm.client import check

        check(settings)
    items = load_items(args.set)
    assistant = Assistant(settings)
    judge = None if args.no_judge else (configured_chat_model(settings) or assistant.chat_model)
    with progress(len(items)) as report_progress:
        report = run_eval(assistant, items, judge=judge, progress=report_progress, set_path=str(args.set))
    limits = {name: getattr(args, name) for name in THRESHOLDS}
    print_report(report, Console(), limits)
    json_path, md_path = write_reports(report, args.out)
    print(f"reports: {json_path} and {md_path}")
    failed = check_thresholds(report, limits)
    for line in failed:
        print(f"qa: eval: below threshold: {line}", file=sys.stderr)
    return 1 if failed else 0


def cmd_compare(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from qa.evaluation.compare import compare_reports, print_comparison

    comparison = compare_reports(args.before, args.after)
    if args.json:
        print(json.dumps(asdict(comparison), ensure_ascii=False, indent=2))
    else:
        print_comparison(comparison)
    return 0


def _eval_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from qa.evaluation.report import THRESHOLDS, flag

    ev = sub.add_parser(
        "eval", parents=[common], help="score qa on an evaluation set (exit 1 under --min-* thresholds)"
    )
    ev.add_argument(
        "--set", default="eval/questions.jsonl", help="JSONL evaluation set (default eval/questions.jsonl)"
    )
    ev.add_argument(
        "--mode", dest="answer_mode", choices=["extractive", "llm"], help="answer mode (env QA_ANSWER_MODE)"
    )
    ev.add_argument("-k", "--top-k", dest="top_k", type=int, help="passages to read")
    ev.add_argument(
        "--out", default="reports", help="folder for the JSON and Markdown reports (default reports/)"
    )
    ev.add_argument(
        "--no-judge", action="store_true", help="skip the LLM-judged metrics even when an LLM is configured"
    )
    for name, (key, kind) in THRESHOLDS.items():
        ev.add_argument(flag(name), dest=name, type=float, metavar="X",
                        help=f"exit 1 when {key} is {'under' if kind == 'min' else 'over'} X")
    ev.set_defaults(func=cmd_eval)
    compare = sub.add_parser(
        "compare", help="compare two `qa eval` JSON reports of the same set, question by question"
    )
    compare.add_argument("before", help="the JSON report of the first run")
    compare.add_argument("after", help="the JSON report of the second run")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.set_defaults(func=cmd_compare)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask an Arabic news article questions, in Arabic or English.",
        epilog=EXAMPLES["qa"], formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qa {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", dest="index_dir", help="index folder (env QA_INDEX_DIR)")
    common.add_argument(
        "--chroma-url", dest="chroma_url", help="use a `chroma run` server (env QA_CHROMA_URL)"
    )
    common.add_argument(
        "--embedding-model", dest="embedding_model", help="use-m3 or a sentence-transformers model"
    )
    common.add_argument(
        "--llm-base-url",
        dest="llm_base_url",
        help="OpenAI-compatible endpoint for --mode llm (env QA_LLM_BASE_URL); the key is read "
        "only from QA_LLM_API_KEY",
    )
    common.add_argument("--llm-model", dest="llm_model", help="chat model for --mode llm (env QA_LLM_MODEL)")
    common.add_argument("--llm-timeout", dest="llm_timeout", type=float,
                        help="seconds to wait for the chat model (env QA_LLM_TIMEOUT)")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", parents=[common], help="index article files or folders")
    ingest.add_argument(
        "paths", nargs="*", help=".txt/.md files or folders (default: the configured articles)"
    )
    ingest.add_argument("--rebuild", action="store_true", help="build a fresh index even if nothing changed")
    ingest.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", parents=[common], help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--stream", action="store_true", help="print the answer as it is generated")
    ask.add_argument(
        "--mode", dest="answer_mode", choices=["extractive", "llm"], help="answer mode (env QA_ANSWER_MODE)"
    )
    ask.add_argument("-k", "--top-k", dest="top_k", type=int, help="passages to read")
    ask.set_defaults(func=cmd_ask)

    serve = sub.add_parser("serve", parents=[common], help="start the chat UI in the browser")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    serve.add_argument(
        "--mode",
        dest="answer_mode",
        choices=["extractive", "llm"],
        help="default answer mode (env QA_ANSWER_MODE)",
    )
    serve.add_argument("-k", "--top-k", dest="top_k", type=int, help="default passages to read")
    serve.set_defaults(func=cmd_serve)
    translate = sub.add_parser(
        "translate", parents=[common],
        help="write an article's translation with the configured chat model (NAME.<lang>.md beside it)")
    translate.add_argument("path", help="the article file (.txt or .md)")
    translate.add_argument("--to", default="en", help="language code of the translation (default: en)")
    translate.add_argument("--force", action="store_true", help="write it again when a translation is there")
    translate.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    translate.set_defaults(func=cmd_translate)
    _eval_parser(sub, common)
    for name, command in sub.choices.items():
        command.epilog, command.formatter_class = EXAMPLES[name], argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from pydantic import ValidationError

    from qa.errors import QAError

    try:
        return int(args.func(args))
    except QAError as err:
        return _fail(args, str(err), type(err).__name__)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in err.errors()
        )
        return _fail(args, f"bad setting: {problems}", "ConfigError")
    except KeyboardInterrupt:
        return 130


def _fail(args: argparse.Namespace, message: str, kind: str) -> int:
    """Report an error: one line on stderr, or with --json one JSON object on stdout. Exit code 2."""
    if getattr(args, "json", False):
        print(json.dumps({"error": message, "type": kind}, ensure_ascii=False))
    else:
        print(f"qa: error: {message}", file=sys.stderr)
    return 2


def run() -> None:
    """The `qa` program: `main` on the command line. `qa ask` answers one question: its imports
    and the index (long-lived, about a million objects) are nearly all it allocates, and the
    cyclic collector would walk them over and over while they load, then once more at exit
    (measured on a cold `qa ask`: 0.5-0.7 s of about 3 s, see eval/bench.py). So it runs with the
    collector off and frozen at exit; reference counting still frees what the question leaves.
    Not in `main`, which tests and other programs call in their own process."""
    argv = sys.argv[1:]
    if argv[:1] == ["ask"]:
        import atexit

        gc.disable()
        atexit.register(gc.freeze)
    raise SystemExit(main(argv))


if __name__ == "__main__":
    run()
