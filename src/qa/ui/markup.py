"""What every part of the chat UI's HTML shares: bilingual labels, escaping, direction and anchors.

Every piece of user input, article text and model output goes through `esc` before it meets markup.
"""

from __future__ import annotations

import html
import re

from qa.text.language import detect_language


# Bilingual labels: each one reads "Arabic · English", so both readers find their way. Each half is
# a directional isolate (RLI…PDI, LRI…PDI), so an Arabic half keeps its word order and its final
# punctuation even where Gradio shows the label left to right (buttons, placeholders).
def both(label: str) -> str:
    arabic, sep, english = label.partition(" · ")
    if not sep:
        return label
    return f"\u2067{arabic}\u2069 · \u2066{english}\u2069"


_LABELS = {
    "title": "اسأل المقال · Ask the article",
    "subtitle": "أسئلة بالعربية أو بالإنجليزية، وأجوبة تقتبس المقال وتذكر أقسامه · "
                "Ask in Arabic or English; answers quote the article and cite its sections",
    "conversation": "المحادثة · Conversation",
    "chat_placeholder": "اسأل عن المقال بالعربية أو بالإنجليزية، أو اختر مثالاً أدناه. · "
                        "Ask about the article in Arabic or English, or pick an example below.",
    "input": "سؤالك · Your question",
    "placeholder": "اكتب سؤالك هنا… · Type your question here…",
    "ask": "اسأل · Ask",
    "clear": "مسح المحادثة · Clear conversation",
    "copy": "نسخ · Copy",
    "comment": "تعليق مع تقييمك (اختياري) · A comment with your 👍/👎 (optional)",
    "comment_hint": "اكتب ثم اضغط 👍 أو 👎 تحت الجواب · Type, then press 👍 or 👎 under the answer",
    "close": "إغلاق · Close",
    "clear_confirm": "هل تريد مسح المحادثة كلها؟ · Clear the whole conversation?",
    "clear_yes": "نعم، امسحها · Yes, clear it",
    "clear_no": "لا · No",
    "export_md": "تصدير Markdown · Export Markdown",
    "export_json": "تصدير JSON · Export JSON",
    "examples": "أسئلة للتجربة · Example questions",
    "settings": "الإعدادات · Settings",
    "mode": "طريقة الإجابة · Answer mode",
    "top_k": "عدد المقاطع المقروءة · Passages to read",
    "sources": "المصادر · Sources",
    "article": "المقال كاملاً · The whole article",
    "no_sources": "لم تُقتبس مصادر بعد. اطرح سؤالاً لترى الجمل التي يستند إليها الجواب. · "
                  "No sources yet. Ask a question to see the sentences the answer rests on.",
    "abstained_sources": "لم يجد المساعد في المقال ما يجيب عن السؤال. أقرب الأقسام: · "
                         "The article does not answer this. Nearest sections:",
    "related": "أقرب ما يقوله المقال، للاطلاع لا جواباً: · The closest the article comes (related reading, "
               "not an answer):",
    "error_sources": "لا مصادر لهذا السؤال. · No sources for this question.",
    "show_in_article": "اذهب إلى موضعه في المقال · Show in the article",
    "abstained": "ليس في المقال · Not in the article",
    "extractive": "اقتباس من المقال · Extractive",
    "llm": "نموذج لغوي · LLM",
    "thinking": "…",
    "no_article": "تعذّر عرض المقال. · The article cannot be shown.",
    "view": "عرض المقال · Show the article",
    "view_original": "الأصل العربي · Arabic original",
    "view_translation": "الترجمة الإنجليزية · English translation",
    "view_both": "جنباً إلى جنب · Side by side",
}
LABELS = {key: both(text) for key, text in _LABELS.items()}
MODE_CHOICES = [(LABELS["extractive"], "extractive"), (LABELS["llm"], "llm")]

ERROR_LEAD = {
    "ar": "تعذّرت الإجابة عن هذا السؤال:",
    "en": "This question could not be answered:",
}
TOO_LONG = {  # a visitor's question over QA_MAX_QUESTION_CHARS: said to the visitor, not the operator
    "ar": "الأسئلة محدودة بـ {limit:,} حرفاً، وسؤالك {length:,}. اختصره واسأل مرة أخرى.",
    "en": "Questions are limited to {limit:,} characters; yours has {length:,}. Please shorten it and ask "
          "again.",
}

UNEXPECTED = {
    "ar": "حدث خطأ غير متوقع أثناء الإجابة. حاول مرة أخرى، وإن تكرر فأبلغ من يدير الخدمة.",
    "en": "Something went wrong while answering. Please try again; "
    "if it keeps happening, tell whoever runs this service.",
}
SOURCES_WORD = {"ar": "المصادر", "en": "Sources"}

_MARKER = re.compile(r"\[(\d{1,3})\]")
# Template syntax and the "(" of Markdown links/images are inert too, should a renderer ever read
# Markdown or templates from a value.
_INERT = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;", "(": "&#40;"})


def esc(text: object) -> str:
    """Text as inert HTML: markup, entities, quotes, template syntax (`${}`, `{{}}`) and Markdown
    link openings escaped."""
    return html.escape(str(text), quote=True).translate(_INERT)


def lang_of(text: str) -> str:
    return detect_language(text)


def dir_of(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def text_html(text: str) -> str:
    """Escaped text with line breaks kept."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def anchor(article: int, section: int) -> str:
    """The id of a section in the article view; citations link to it."""
    return f"qa-a{article}-s{section}"
