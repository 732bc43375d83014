"""Greetings, thanks, goodbyes and "who are you?" in a chat: a message that is only that gets a
short reply naming the article, not "the article does not say" with a nearest section (or, since a
question with no topic of its own is read as about the article's main story, its lead)."""

from __future__ import annotations

import re

from qa.text import arabic

_KINDS = {
    "hello": r"hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening)|hello there|hi there"
             r"|مرحبا|اهلا|اهلا وسهلا|(?:ال)?سلام عليكم|سلام|صباح الخير|مساء الخير|هلا|هاي",
    "about": r"how are you(?: doing)?|who are you|what are you|what can you do|what do you do|help"
             r"|كيف حالك|كيفك|شلونك|من انت|مين انت|ماذا تستطيع|شو بتعمل|ماذا تفعل|مساعده",
    "thanks": r"thanks|thank you|thanks a lot|thank you very much|many thanks|thx|cheers|ok thanks|great thanks"
              r"|شكرا|شكرا جزيلا|شكرا لك|مشكور|يسلمو|تسلم|يعطيك العافيه",
    "bye": r"bye|goodbye|bye bye|see you|مع السلامه|وداعا|باي",
}
_WHOLE = {kind: re.compile(rf"(?:{pattern})") for kind, pattern in _KINDS.items()}
_NOT_WORDS = re.compile(r"[^\w\s]+")

TEXT = {
    "en": {
        "hello": "Hello! Ask me anything about the article {titles}, in English or Arabic: I answer with "
                 "its own sentences and the sections they come from.",
        "about": "I answer questions about the article {titles}, in English or Arabic, with its own sentences "
                 "and the sections they come from; when it does not say, I say so.",
        "thanks": "You're welcome. Ask me anything else about the article {titles}.",
        "bye": "Goodbye.",
    },
    "ar": {
        "hello": "أهلاً! اسألني عن المقال {titles} بالعربية أو بالإنجليزية، وأجيبك بجمله نفسها وبالأقسام التي وردت فيها.",
        "about": "أجيب عن أسئلتك حول المقال {titles} بالعربية أو بالإنجليزية، بجمله نفسها وبالأقسام التي وردت فيها، "
                 "وإن لم يذكر المقال شيئاً قلت ذلك.",
        "thanks": "عفواً. اسألني عن أي شيء آخر في المقال {titles}.",
        "bye": "مع السلامة.",
    },
}


def kind(text: str) -> str | None:
    """"hello", "about" (who are you?), "thanks" or "bye" when the whole message is one
    (punctuation and case aside)."""
    words = " ".join(_NOT_WORDS.sub(" ", arabic.fold(text)).split())
    return next((k for k, pattern in _WHOLE.items() if pattern.fullmatch(words)), None)


def reply(text: str, language: str, titles: list[str]) -> str | None:
    """The reply to a greeting, a thank-you or a goodbye, or None for anything else."""
    found = kind(text)
    if found is None:
        return None
    named = "، ".join(f"«{t}»" for t in titles[:3]) if language == "ar" else ", ".join(f"«{t}»" for t in titles[:3])
    return TEXT["ar" if language == "ar" else "en"][found].format(titles=named)
