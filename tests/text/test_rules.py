"""Every rule that ships as data (src/qa/data/*.toml) has a table here: texts it must match and texts
it must not. A rule added to a data file without a row here fails `test_every_rule_has_a_table`."""

from __future__ import annotations

import pytest

from qa.text import tables
from qa.text.normalize import canonical_dates, strip_harakat

RULE_FILES = ("question_kinds.toml", "article_parts.toml", "question_frames.toml", "answer_words.toml",
              "followup.toml", "smalltalk.toml")

# (file, rule) -> (texts the rule matches, texts it does not)
TABLE: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ("question_kinds.toml", "when"): (
        [
            "When did the call take place?",
            "Who called whom, and when?",
            "ومتى كان ذلك؟",
            "ما تاريخ الاتصال؟",
            "What was the date of the call?",
            "في أي يوم اتصل؟",
        ],
        ["What were the forces doing when they were attacked?", "Who called whom?"],
    ),
    ("question_kinds.toml", "how_many"): (
        ["How many people died?", "كم عدد القتلى؟", "قديش واحد مات؟", "What was the death toll?"],
        ["Who died?", "ماذا حدث؟"],
    ),
    ("question_kinds.toml", "cause"): (
        [
            "Why did the attack happen?",
            "لماذا وقع الهجوم؟",
            "ما سبب الهجوم؟",
            "What caused the attack?",
            "ليش صار الهجوم؟",
        ],
        ["Why did Shaibani call Rubio?", "What did the attack cause"],
    ),
    ("question_kinds.toml", "said"): (
        [
            "What did the minister say?",
            "How did Shaibani react to the deaths?",
            "على ماذا شدد الشيباني؟",
            "شو كان رد فعل الوزير؟",
            "شو حكوا؟",
        ],
        ["What does the article say about the attack?", "ماذا قال المقال عن الهجوم؟"],
    ),
    ("question_kinds.toml", "time_of_day"): (
        ["What time was the call?", "في أي ساعة كان الاتصال؟", "الساعة كم صار الهجوم؟"],
        ["What time frame does the article cover?", "When was the call?"],
    ),
    ("question_kinds.toml", "duration"): (
        [
            "How long did the call last?",
            "كم استغرق الاتصال؟",
            "قديش طوّلت المكالمة؟",
            "For how long were they there?",
        ],
        ["How long is the article?", "How many soldiers died?"],
    ),
    ("question_kinds.toml", "where"): (
        [
            "Where did the attack happen?",
            "أين وقع الهجوم؟",
            "وين صار الهجوم؟",
            "In which city was the attack?",
        ],
        ["Where does the article talk about the call?", "Who was attacked?"],
    ),
    ("question_kinds.toml", "source"): (
        [
            "What source does the article cite?",
            "من أين جاءت هذه المعلومات؟",
            "Where can I read more?",
            "ما مصدر الخبر؟",
        ],
        ["Who attacked the soldiers?", "ما أهمية الاتصال؟"],
    ),
    ("article_parts.toml", "end"): (
        [
            "What does the conclusion say?",
            "حسب خاتمة المقال ما المطلوب؟",
            "What is in the last section?",
            "How does the article end?",
        ],
        ["What happened at the end of the meeting?", "ما المطلوب؟"],
    ),
    ("article_parts.toml", "start"): (
        [
            "What is the article about?",
            "Give me a summary",
            "ما عنوان المقال؟",
            "لخص المقال",
            "What does the introduction say?",
        ],
        ["What is the title of the minister?", "Who called Rubio?"],
    ),
    ("question_frames.toml", "compound"): (
        ["How did he react, and what did he stress?", "ما أثر الهجوم، وما المطلوب؟"],
        ["Who called whom?", "ما أثر الهجوم وماذا بعد"],
    ),
    ("question_frames.toml", "source_frame"): (
        ["Where is the information from?", "من أين جاءت هذه المعلومات؟", "ما مصدر الخبر؟"],
        ["Who is the source?", "ما المصدر؟"],
    ),
    ("question_frames.toml", "date_frame"): (
        ["What was the date of the call?", "ما تاريخ الاتصال؟", "What dates does it give?"],
        ["When was the call?", "في أي يوم اتصل؟"],
    ),
    ("question_frames.toml", "occurrence"): (
        [
            "Why did it happen?",
            "لماذا وقع الهجوم؟",
            "ما سبب وقوع الهجوم؟",
            "Why did the incident take place?",
        ],
        ["Why did Shaibani call?", "لماذا اتصل الشيباني؟"],
    ),
    ("question_frames.toml", "cause_of_event"): (
        ["What caused the attack?", "ما سبب الهجوم؟", "What was the reason for this attack?"],
        ["What caused the deaths?", "ما سبب الاتصال؟"],
    ),
    ("answer_words.toml", "source_line"): (
        ["المصدر: وكالة الأنباء", "Source: Reuters", "المصادر : مواقع إخبارية"],
        ["قال مصدر أمني إن الهجوم وقع", "The sources of the attack"],
    ),
    ("followup.toml", "demonstrative"): (
        ["And when was that?", "ومتى كان ذلك؟", "وعلى شو بيدل هالشي؟", "شو يعني هاد؟"],
        ["And when?", "ومتى؟"],
    ),
    ("followup.toml", "quote"): (
        ["بحسب المقال: «اتصل وزير الخارجية السوري»", "It says «the call happened»"],
        ["It says «short»", "no quotes here"],
    ),
    ("followup.toml", "points_back"): (
        ["وقد استهدف الهجوم تلك القوات.", "وأدى ذلك إلى وقوع هذا الحادث.", "لهذا الهجوم أسباب"],
        ["وقع الهجوم في تدمر.", "هذا ما قاله الوزير"],
    ),
    ("followup.toml", "implication"): (
        [
            "What does that tell us?",
            "ماذا يعني ذلك؟",
            "وعلى شو بيدل هالشي؟",
            "What is the significance of this?",
        ],
        ["What led to that?", "And when was that?"],
    ),
    ("followup.toml", "consequence"): (
        [
            "What did that lead to?",
            "وما الشكوك التي ترتبت على ذلك؟",
            "إلى ماذا أدى ذلك؟",
            "What were the consequences of this?",
        ],
        ["What led to that?", "ما الذي أدى إلى ذلك؟"],
    ),
    ("followup.toml", "clause"): (
        ["تمكنت من تحديد هوية المنفذ، مما يعكس قدرة الأجهزة", "وهو ما يدل على ذلك", "وهذا ما حدث"],
        ["ما زال التحقيق جارياً", "ما لم يتغير"],
    ),
    ("smalltalk.toml", "hello"): (
        ["hello", "hi there", "مرحبا", "السلام عليكم"],
        ["hello rubio", "hi who called"],
    ),
    ("smalltalk.toml", "about"): (
        ["who are you", "what can you do", "شو بتعمل"],
        ["who are they", "who called"],
    ),
    ("smalltalk.toml", "thanks"): (
        ["thanks", "thank you very much", "شكرا جزيلا"],
        ["thanks to whom", "no thanks rubio"],
    ),
    ("smalltalk.toml", "bye"): (["bye", "goodbye", "مع السلامه"], ["bye rubio", "goodbye to whom"]),
}


def _matches(file: str, rule: str, text: str) -> bool:
    pattern = tables.rules(file)[rule]
    if file == "smalltalk.toml":  # a whole message, as qa.question.smalltalk reads it
        return pattern.fullmatch(text) is not None
    return pattern.search(strip_harakat(text)) is not None


def test_every_rule_has_a_table() -> None:
    shipped = {(file, rule) for file in RULE_FILES for rule in tables.rules(file)}
    assert shipped == set(TABLE), (
        f"no table: {sorted(shipped - set(TABLE))}; stale: {sorted(set(TABLE) - shipped)}"
    )


@pytest.mark.parametrize(("file", "rule", "text", "matches"), [
    (file, rule, text, matches)
    for (file, rule), (yes, no) in TABLE.items()
    for matches, texts in ((True, yes), (False, no))
    for text in texts
])
def test_rule(file: str, rule: str, text: str, matches: bool) -> None:
    assert _matches(file, rule, text) is matches


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("في 14 كانون الأول 2025", "في 14 ديسمبر 2025"),
        ("14 كانون الثاني", "14 يناير"),
        ("شباط", "فبراير"),
        ("آذار", "مارس"),
        ("نيسان", "أبريل"),
        ("أيار", "مايو"),
        ("حزيران", "يونيو"),
        ("تموز", "يوليو"),
        ("3 آب", "3 أغسطس"),
        ("أيلول", "سبتمبر"),
        ("تشرين الأول", "أكتوبر"),
        ("تشرين الثاني", "نوفمبر"),
        ("December 14", "ديسمبر 14"),
        ("14 Dec. 2025", "14 ديسمبر 2025"),
        ("March 3", "مارس 3"),
        ("We march on", "We march on"),  # "march" is a month only before a number
        ("آب وابنه", "آب وابنه"),  # آب "father" is a month only after a day number
    ],
)
def test_months(text: str, expected: str) -> None:
    assert canonical_dates(text) == expected


def test_every_month_has_a_row() -> None:
    names = {month["name"].strip() for month in tables.toml("months.toml")["month"]}
    covered = {word for _, expected in test_months.pytestmark[0].args[1] for word in expected.split()}
    assert names <= covered
