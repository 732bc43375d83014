"""Follow-up questions (data/followup.toml). A follow-up that points back with a demonstrative ("And
when was that?", «ومن أين جاءت هذه المعلومات؟») is read with the quotes of the last answer, which is
what "that" names; one with at most a word of its own ("And when?", "So what's his name?") with the
previous question; one with more stands on its own words. A follow-up may also ask what "that"
shows or led to (a `sequel`: qa.answer.sequel finds the sentence that says it).
"""

from __future__ import annotations

from typing import Literal

from qa.question.history import History, last_answer, last_user_question
from qa.scoring import SCORING
from qa.text import tables
from qa.text.normalize import normalize, strip_harakat
from qa.text.words import tokens

FOLLOWUP_FILE = "followup.toml"
Sequel = Literal["implication", "consequence"]
SEQUELS: tuple[Sequel, ...] = ("implication", "consequence")


def quotes(answer_text: str) -> list[str]:
    """The «…» quotes of an earlier answer, as written."""
    return tables.rule(FOLLOWUP_FILE, "quote").findall(answer_text or "")


def quoted(answer_text: str) -> list[str]:
    """The «…» quotes of an earlier answer, normalised for matching."""
    return [normalize(q).strip() for q in quotes(answer_text)]


def points_back(question: str) -> bool:
    """Whether a question points back with a demonstrative (this, that, هذا, هاد, هالشي ...)."""
    return bool(tables.rule(FOLLOWUP_FILE, "demonstrative").search(question))


def search_text(question: str, history: History) -> str:
    """What to retrieve with: a follow-up that points back is read with the quotes of the last
    answer; otherwise see `follow_up_text`."""
    said = points_back(question) and quotes(last_answer(history))
    if said:  # "And when was that?": "that" is what the last answer quoted, which locates the answer
        return " ".join([question, *said])
    return follow_up_text(question, history)


def follow_up_text(question: str, history: History) -> str:
    """A follow-up with at most `follow_up_words` content words of its own ("And when?") read
    together with the previous question; one with more stands on its own words (on the eval set,
    adding the previous question to those pulled retrieval back to the section the last answer had
    quoted: 3 of 8 follow-ups right instead of 6)."""
    previous = last_user_question(history, with_words=True)  # after "Why?", "And when?" means the one before
    if previous and len(tokens(question, drop_stopwords=True)) <= SCORING.answering.follow_up_words:
        return f"{previous} {question}"
    return question


def sequel(question: str) -> Sequel | None:
    """Whether a follow-up asks what "that" shows (`implication`: "What does that tell us?") or led
    to (`consequence`: «وما الشكوك التي ترتبت على ذلك؟»)."""
    text = strip_harakat(question)
    return next((kind for kind in SEQUELS if tables.rule(FOLLOWUP_FILE, kind).search(text)), None)
