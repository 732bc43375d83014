"""Clean a question before it goes anywhere: strip what a reader cannot see, and refuse what cannot be
answered.

What is removed (the answer is then to the cleaned question): lone surrogates, C0/C1 control
characters and terminal escape sequences, zero-width and bidi-control characters, Unicode tag
characters, and HTML markup (tags, comments, and the body of script/style elements; entities are
decoded first). What is refused with a QuestionError: anything that is not text, a question with
nothing left once cleaned, and one over `Settings.max_question_chars`.
"""

from __future__ import annotations

import html
import re
import unicodedata

from qa.errors import QuestionError
from qa.text.normalize import clean_invisible

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters qa.text.normalize.clean_invisible leaves: Arabic letter mark, soft hyphen,
# Mongolian vowel separator, word joiner and invisible operators, deprecated format controls.
_MORE_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u2060-\u2064\u206a-\u206f\ufff9-\ufffb]")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")  # Unicode tag characters hide text
_SURROGATE = re.compile("[\ud800-\udfff]")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"\s+")
_HIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _too_long(n: int, max_chars: int) -> QuestionError:
    return QuestionError(
        f"the question is {n:,} characters, over the limit of {max_chars:,}: "
        "shorten it (or raise QA_MAX_QUESTION_CHARS)"
    )


def visible_text(text: str) -> str:
    """`text` as one line of what a reader sees: no surrogates, controls, escapes, invisible or
    bidi-control characters, tag characters or HTML markup; runs of white space become one space."""
    text = _SURROGATE.sub("", text)
    text = _ANSI.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = _TAG_CHARS.sub("", _MORE_INVISIBLE.sub("", clean_invisible(text)))
    text = _CONTROL.sub(" ", text)
    if "<" in text or "&" in text:
        text = html.unescape(text)
        text = _TAG.sub(" ", _COMMENT.sub(" ", _SCRIPT.sub(" ", text)))
        text = _SURROGATE.sub("", _CONTROL.sub(" ", text))  # entities can spell either
    return _SPACES.sub(" ", text).strip()


def clean_question(question: object, max_chars: int) -> str:
    """The question as a single line of visible text, or QuestionError saying what is wrong."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    if len(question) > max_chars * 4:  # refuse huge input before doing any work on it
        raise _too_long(len(question), max_chars)
    text = visible_text(question)
    if not text:
        if question.strip():
            raise QuestionError(
                "the question has no readable text once control, invisible and markup characters "
                "are removed: type a question about the article"
            )
        raise QuestionError("the question is empty: type a question about the article")
    if len(text) > max_chars:
        raise _too_long(len(text), max_chars)
    return text


def without_hidden(text: str) -> str:
    """`text` without what a reader cannot see (surrogates, control characters other than tab and
    line breaks, zero-width and bidi controls, tag characters); white space and markup are kept."""
    text = _SURROGATE.sub("", text)
    return _HIDDEN_CONTROL.sub("", _TAG_CHARS.sub("", _MORE_INVISIBLE.sub("", clean_invisible(text))))
