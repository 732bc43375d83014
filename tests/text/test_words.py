"""The light stemmer, stopwords and tokens (qa.text.words)."""

import pytest

from qa.text.words import stem, tokens


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


def test_a_word_whose_stem_is_a_stopword_is_kept_when_the_article_has_it() -> None:
    # الولايات stems to ولا and هوية to هو, which are stopwords: dropped, unless the article has the word
    assert tokens("الولايات هوية", drop_stopwords=True) == []
    assert tokens("الولايات هوية", drop_stopwords=True, keep={"الولايات", "هويه"}) == ["ولا", "هو"]
    assert tokens("بعدها", drop_stopwords=True, keep={"بعدها"}) == []  # a stopword with a pronoun
    assert tokens("وخلالها", drop_stopwords=True, keep={"وخلالها"}) == []
    assert tokens("بعد", drop_stopwords=True, keep={"بعد"}) == []  # a stopword as written stays one


def test_a_levantine_this_matter_is_no_content_word() -> None:
    # هال + a generic noun ("this thing", "this matter") points back; it was an unseen word that
    # outweighed the rest of a follow-up, which then abstained
    assert tokens("مين حكى عالتلفون بخصوص هالموضوع؟", drop_stopwords=True) == [tokens("عالتلفون")[0]]
    assert tokens("شو رح يأثر هالشي؟", drop_stopwords=True) == ["ياثر"]
    assert tokens("هالحادثة", drop_stopwords=True) == ["هالحادث"]  # a noun of its own stays


def test_english_before_and_after_are_stopwords_as_their_arabic_are() -> None:
    # بعد and قبل are stopwords; "after" went through the word bridge to أثناء ("during") instead
    assert tokens("What questions were raised after the attack?", drop_stopwords=True) == [
        "questions",
        "raised",
        "attack",
    ]
    assert tokens("ماذا حدث بعد الهجوم؟", drop_stopwords=True) == ["هجوم"]
