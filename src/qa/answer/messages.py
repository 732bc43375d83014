"""What the answerers say around the article's own words, in the question's language: the lead line,
a quote with its marker and section, "the article does not say", and replies to small talk."""

from __future__ import annotations

from collections.abc import Sequence

from qa.results import Language
from qa.text.language import detect_language

TEXT = {
    "ar": {
        "lead": "بحسب المقال:",
        "lead_translated": "بحسب المقال، في ترجمته العربية (النص الأصلي في المصادر):",
        "quote": "«{quote}» [{n}] (قسم «{section}»)",
        "abstain": "لا يذكر المقال ذلك. أقرب قسم إلى سؤالك هو «{section}».",
        "related": "أقرب ما يقوله المقال (للاطلاع، لا جواباً):",
    },
    "en": {
        "lead": "According to the article (quoted in its original Arabic):",
        "lead_as_written": "According to the article:",  # quotes that are not all Arabic (an English article)
        # quotes in the article's translation: says so, and where the original is
        "lead_translated": "According to the article, in its English translation (the Arabic original is "
                           "in the sources):",
        "quote": "«{quote}» [{n}] (section «{section}»)",
        "abstain": "The article does not say. The nearest section is «{section}».",
        "related": "The closest the article comes (related reading, not an answer):",
    },
}

SMALLTALK = {
    "en": {
        "hello": "Hello! Ask me anything about the article {titles}, in English or Arabic: I answer with "
        "its own sentences and the sections they come from.",
        "about": "I answer questions about the article {titles}, in English or Arabic, "
                 "with its own sentences "
        "and the sections they come from; when it does not say, I say so.",
        "thanks": "You're welcome. Ask me anything else about the article {titles}.",
        "bye": "Goodbye.",
    },
    "ar": {
        "hello": "أهلاً! اسألني عن المقال {titles} بالعربية أو بالإنجليزية، وأجيبك بجمله نفسها وبالأقسام التي "
        "وردت فيها.",
        "about": "أجيب عن أسئلتك حول المقال {titles} بالعربية أو بالإنجليزية، "
                 "بجمله نفسها وبالأقسام التي وردت "
        "فيها، وإن لم يذكر المقال شيئاً قلت ذلك.",
        "thanks": "عفواً. اسألني عن أي شيء آخر في المقال {titles}.",
        "bye": "مع السلامة.",
    },
}


def lead(language: Language, quotes: Sequence[str]) -> str:
    """The answer's first line. An English one says the quotes are in Arabic only when they are
    (an article of your own may be in English)."""
    text = TEXT[language]
    if language == "en" and not all(detect_language(q) == "ar" for q in quotes):
        return text["lead_as_written"]
    return text["lead"]


def abstain(language: Language, section: str) -> str:
    """"The article does not say", naming the nearest section."""
    return TEXT[language]["abstain"].format(section=section)


def smalltalk_reply(kind: str, language: Language, titles: Sequence[str]) -> str:
    """The reply to a greeting, a thank-you, a goodbye or "who are you?" (qa.question.smalltalk)."""
    named = (
        "، ".join(f"«{t}»" for t in titles[:3])
        if language == "ar"
        else ", ".join(f"«{t}»" for t in titles[:3])
    )
    return SMALLTALK[language][kind].format(titles=named)
