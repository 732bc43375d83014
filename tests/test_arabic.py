import pytest

from qa.text.language import detect_language
from qa.text.morphology import derived_nouns, verbs_of
from qa.text.normalize import normalize
from qa.text.sentences import sentence_spans
from qa.text.words import stem, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد إبراهيم آمن", "احمد ابراهيم امن"),
        ("مستشفى", "مستشفي"),
        ("مدينة", "مدينه"),
        ("مُحَمَّدٌ", "محمد"),  # harakat
        ("جـــنـــود", "جنود"),  # tatweel
        ("ٰعلى", "علي"),  # superscript alef U+0670
        ("١٤ ديسمبر ٢٠٢٥", "14 ديسمبر 2025"),
        ("14 كانون الأول 2025", "14 ديسمبر 2025"),
        ("في تشرين الثاني", "في نوفمبر"),
        ("3 آب", "3 اغسطس"),
        ("آب", "اب"),  # "father" is not a month without a day before it
        ("December 14", "ديسمبر 14"),
        ("DEC 14", "ديسمبر 14"),  # the hint test reads the text lower-cased
        ("في ٣ آب", "في 3 اغسطس"),  # a day number in Arabic-Indic digits before آب
        ("في أيار ٢٠٢٤", "في مايو 2024"),
        ("اختيار الوزير", "اختيار الوزير"),  # يار inside a word: a hint, and no month
        ("Hello WORLD", "hello world"),
        ("a\u200bb\u202ec", "abc"),  # zero-width and bidi controls vanish
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("token", "stemmed"),
    [
        ("الكتاب", "كتاب"),
        ("والكتاب", "كتاب"),
        ("بالقلم", "قلم"),
        ("كالبحر", "بحر"),
        ("فالامر", "امر"),
        ("للطلاب", "طلاب"),
        ("وكتب", "كتب"),  # و leaves 3 letters
        ("ولد", "ولد"),  # و would leave 2: kept
        ("مكتبات", "مكتب"),
        ("معلمون", "معلم"),
        ("معلمين", "معلم"),
        ("كتابها", "كتاب"),
        ("سوريه", "سور"),  # يه (ية after normalisation)
        ("جنديين", "جند"),
        ("ال", "ال"),  # too short to strip
        ("hello", "hello"),  # other scripts pass through
    ],
)
def test_stem(token: str, stemmed: str) -> None:
    assert stem(token) == stemmed


def test_tokens_drop_stopwords_and_unify_dates() -> None:
    assert tokens("من اتصل بمن ومتى؟ في ١٤ كانون الأول ٢٠٢٥", drop_stopwords=True) == [
        "اتصل", "14", "ديسمبر", "2025",
    ]
    assert tokens("على ماذا اتفق الوزيران", drop_stopwords=False)[:2] == ["عل", "ماذا"]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("جملة أولى. جملة ثانية؟ ثالثة! رابعة؛ خامسة", ["جملة أولى.", "جملة ثانية؟", "ثالثة!", "رابعة؛", "خامسة"]),
        ("It cost 2.5 million. Then it ended.", ["It cost 2.5 million.", "Then it ended."]),
        ("سطر بلا نقطة\nسطر ثان.", ["سطر بلا نقطة", "سطر ثان."]),
        ("قال: «انتهى.» ثم ذهب.", ["قال: «انتهى.»", "ثم ذهب."]),
        ("   ", []),
    ],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("من اتصل بمن ومتى؟", "ar"),
        ("Who called whom, and when?", "en"),
        ("What did الشيباني say?", "en"),
        ("What did وزارة الداخلية السورية manage to do?", "en"),
        ("ما رأي Marco Rubio؟", "ar"),
        ("ماذا قال Rubio؟", "ar"),
        ("2025?", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_word_whose_stem_is_a_stopword_is_kept_when_the_article_has_it() -> None:
    # الولايات stems to ولا and هوية to هو, which are stopwords: dropped, unless the article has the word
    assert tokens("الولايات هوية", drop_stopwords=True) == []
    assert tokens("الولايات هوية", drop_stopwords=True, keep={"الولايات", "هويه"}) == ["ولا", "هو"]
    assert tokens("بعدها", drop_stopwords=True, keep={"بعدها"}) == []  # a stopword with a pronoun
    assert tokens("وخلالها", drop_stopwords=True, keep={"وخلالها"}) == []
    assert tokens("بعد", drop_stopwords=True, keep={"بعد"}) == []  # a stopword as written stays one


@pytest.mark.parametrize(
    ("verb", "noun"),
    [
        ("يأثر", "تاثير"),  # form II present, as Levantine spells it
        ("يؤثر", "تاثير"),  # and as MSA does
        ("بيأثر", "تاثير"),  # Levantine present بـ
        ("سيؤثر", "تاثير"),  # the future's سـ
        ("ستلتزم", "التزام"),
        ("حدد", "تحديد"),  # form II past: the written double letter is its shadda
        ("يعززوا", "تعزيز"),
        ("يعيدوا", "اعاد"),  # hollow form IV, إعادة as the stemmer leaves it
        ("تلتزم", "التزام"),  # form VIII
        ("اجتمع", "اجتماع"),
        ("تناقش", "مناقش"),  # form III, مناقشة
        ("يستخدم", "استخدام"),  # form X
        ("يستخدم", "مستخدم"),  # its participle
        ("اعتبر", "معتبرا"),  # form VIII's participle, with the accusative's alif (معتبرًا)
        ("اعتبر", "اعتبار"),
        ("مجتمع", "اجتماع"),  # a form VIII participle: "gathered" -> the article's «اجتماع»
        ("مستخدم", "استخدام"),  # form X
    ],
)
def test_derived_nouns(verb: str, noun: str) -> None:
    assert noun in derived_nouns(normalize(verb))


@pytest.mark.parametrize("verb", ["تحدث", "قتل", "فعل", "بيان", "مقتل", "مصدر"])
def test_no_verbal_noun_without_a_derived_form(verb: str) -> None:
    # تحدث "spoke" is form V, not a present of حدث; form I (قتل) has no pattern; بيان is no verb;
    # مقتل and مصدر are form I nouns of place, spelled as a form II or IV participle would be
    assert derived_nouns(verb) == []


def test_a_levantine_this_matter_is_no_content_word() -> None:
    # هال + a generic noun ("this thing", "this matter") points back; it was an unseen word that
    # outweighed the rest of a follow-up, which then abstained
    assert tokens("مين حكى عالتلفون بخصوص هالموضوع؟", drop_stopwords=True) == [tokens("عالتلفون")[0]]
    assert tokens("شو رح يأثر هالشي؟", drop_stopwords=True) == ["ياثر"]
    assert tokens("هالحادثة", drop_stopwords=True) == ["هالحادث"]  # a noun of its own stays


def test_english_before_and_after_are_stopwords_as_their_arabic_are() -> None:
    # بعد and قبل are stopwords; "after" went through the word bridge to أثناء ("during") instead
    assert tokens("What questions were raised after the attack?", drop_stopwords=True) == ["questions", "raised", "attack"]
    assert tokens("ماذا حدث بعد الهجوم؟", drop_stopwords=True) == ["هجوم"]


@pytest.mark.parametrize(
    ("noun", "verb"),
    [("اتصال", "اتصل"), ("استخدام", "استخدم"), ("تاكيد", "اكد"), ("تعزيز", "عزز"), ("اعلان", "اعلن"), ("مناقش", "ناقش")],
)
def test_verbs_of(noun: str, verb: str) -> None:
    assert verbs_of(noun) == [verb]


def test_no_verb_for_a_plain_noun() -> None:
    assert verbs_of("هجوم") == [] and verbs_of("مقتل") == []
