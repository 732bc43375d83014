"""The extractive answerer on the seed with the real encoder: answer kinds, compound questions, follow-ups,
parts of the article, and abstention (also on questions from XQuAD, an unrelated data set)
(qa.answer.extractive)."""

from __future__ import annotations

import json

import pytest

from qa import Assistant, Settings
from qa.answer.sentences import is_source_line
from qa.question.compound import parts as question_parts
from qa.question.kinds import kinds_of, without_frame
from qa.scoring import SCORING
from tests.conftest import LEAD, REPO

WHO_CALLED = ("Who called whom, and when?", "من اتصل بمن ومتى؟")


@pytest.mark.parametrize("question", WHO_CALLED)
def test_who_called_is_answered_from_the_lead(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)
    assert not answer.abstained
    assert answer.citations[0].section == LEAD
    quote = answer.citations[0].quote
    for fact in ("الشيباني", "روبيو", "14 ديسمبر 2025"):
        assert fact in quote


@pytest.mark.parametrize("question", ["Shibani", "Rubio?"])
def test_a_name_typed_alone_is_found(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)  # abstained while a first word could not be a name
    assert not answer.abstained


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Australia?",
        "ما هي أفضل طريقة لطهي الأرز؟",
        "Who won the 2018 World Cup final?",
        "كم سعر الذهب اليوم في بيروت؟",
    ],
)
def test_questions_about_something_else_abstain(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)
    assert answer.abstained, answer.text
    assert answer.citations == []


@pytest.mark.parametrize("question", ["What time did the two ministers speak?", "كم دامت المكالمة؟"])
def test_an_abstention_offers_the_closest_sentences_apart_from_the_answer(shared_assistant,
                                                                         question: str) -> None:
    """Asked what the article does not say (a clock time, a length of time), the answer abstains and
    lists the closest sentences as related reading: verbatim, from different sections, no marker,
    and not in the answer's text."""
    answer = shared_assistant.ask(question)
    assert answer.abstained and answer.citations == []
    assert 1 <= len(answer.related) <= SCORING.answering.related
    article = next(a for a in shared_assistant.articles())
    for c in answer.related:
        assert article.text[c.start:c.end] == c.quote and c.marker == 0
        assert c.quote not in answer.text
    assert len({c.section for c in answer.related}) == len(answer.related)
    if answer.language == "en":
        assert all(c.translation and c.section_translation for c in answer.related)
    shown = answer.to_dict()["related"]
    assert [r["quote"] for r in shown] == [c.quote for c in answer.related]


def test_an_answer_has_no_related_reading(shared_assistant) -> None:
    answer = shared_assistant.ask("Who called whom, and when?")
    assert not answer.abstained and answer.related == []


@pytest.mark.slow  # several ingests or hundreds of questions: about two seconds
def test_xquad_questions_abstain_on_the_seed(shared_assistant) -> None:
    """An independent check of the abstention threshold: questions about 48 unrelated Wikipedia
    articles (every 40th of XQuAD, both languages) asked of the Palmyra article."""
    data = {
        lang: json.loads(
            (REPO / "eval" / "data" / "xquad" / f"xquad.{lang}.json").read_text(encoding="utf-8")
        )
        for lang in ("en", "ar")
    }
    questions = [qa["question"] for lang in ("en", "ar") for art in data[lang]["data"]
                 for par in art["paragraphs"] for qa in par["qas"]][::40]
    answered = [q for q in questions if not shared_assistant.ask(q).abstained]
    assert len(answered) <= 0.15 * len(questions), answered


def test_a_compound_question_is_answered_part_by_part(shared_assistant) -> None:
    question = "ما تأثير الهجوم على العلاقات السورية الأمريكية، وما المطلوب لمواجهة تنظيم الدولة الإسلامية؟"
    first_part = question_parts(question)[0]
    assert shared_assistant.ask(question).citations[0] == shared_assistant.ask(first_part).citations[0]
    answer = shared_assistant.ask("What happened in Palmyra, and who identified the attacker?")
    assert len({c.section for c in answer.citations}) >= 2  # each part has its own section


@pytest.mark.parametrize("question", ["What caused the incident to happen?", "لماذا حدث هذا الحادث؟",
                                      "Why did the incident occur?"])
def test_a_why_did_it_happen_question_is_answered_with_what_led_to_it(
    shared_assistant, question: str
) -> None:
    # «... مما أدى إلى وقوع هذا الحادث»; without the kind: the lead, the attack section, the strategies
    assert shared_assistant.ask(question).citations[0].section == "التحديات الأمنية المستمرة"


@pytest.mark.parametrize("question", ["Why did the attack happen?", "لماذا وقع الهجوم؟", "ليش صار الهجوم؟"])
def test_why_the_attack_happened_is_answered_with_what_led_to_the_incident(
    shared_assistant, question: str
) -> None:
    # the sentence says «هذا الحادث», not «الهجوم»: without CAUSE_RANK_BONUS the attack section or the lead
    # wins
    assert shared_assistant.ask(question).citations[0].section == "التحديات الأمنية المستمرة"


@pytest.mark.parametrize("question", ["أين وقع الهجوم؟", "وين صار الهجوم؟", "Where did the attack happen?"])
def test_where_the_attack_happened_is_answered_with_a_sentence_naming_the_place(
    shared_assistant, question: str
) -> None:
    # without the `where` kind: «وقع الهجوم أثناء اجتماع ...» or «وقد استهدف الهجوم ...», which name no place
    assert "تدمر" in shared_assistant.ask(question).citations[0].quote


@pytest.mark.parametrize("question", ["Where is the Eiffel Tower?", "وين بيقع برج إيفل؟",
                                      "Where do the minister's children go to school?"])
def test_saying_where_is_no_evidence_of_topic(shared_assistant, question: str) -> None:
    # the seed's lead says «في منطقة تدمر»; the `where` kind ranks sentences, it does not prove them
    assert shared_assistant.ask(question).abstained


def test_where_to_read_more_is_answered_with_the_source_line(shared_assistant) -> None:
    assert "المصدر" in shared_assistant.ask("Where can I read more?").citations[0].quote


@pytest.mark.parametrize(
    "question", ["Where is the information in the article from?", "من أين جاءت هذه المعلومات؟"]
)
def test_the_news_a_source_question_names_is_no_content_word(shared_assistant, question: str) -> None:
    # "information" / المعلومات matched «بناءً على المعلومات المتاحة ...», which was quoted instead;
    # with nothing else left, the question was read as "what is the article about?" (the lead)
    assert without_frame(
        "What is the source of the information?", kinds_of("What is the source of the information?")
    ).split() == ["What", "is", "the", "source", "of", "?"]
    assert (
        without_frame("What information did they share?", kinds_of("What information did they share?"))
        == "What information did they share?"
    )
    assert "المصدر" in shared_assistant.ask(question).citations[0].quote


@pytest.mark.parametrize(
    "question", ["What caused the attack?", "ما سبب الهجوم؟", "What was behind the attack?"]
)
def test_what_caused_the_attack_is_answered_with_what_led_to_the_incident(
    shared_assistant, question: str
) -> None:
    # without the event named after "caused" / «سبب» counting as its occurrence: the lead or the attack
    # section
    assert shared_assistant.ask(question).citations[0].section == "التحديات الأمنية المستمرة"


def test_what_led_to_an_outcome_is_not_pulled_to_the_cause_of_the_incident(shared_assistant) -> None:
    # «استهدف الهجوم تلك القوات، مما أدي إلى نتائج مأساوية تمثلت في فقدان ...»
    assert (
        shared_assistant.ask("What led to the killing of the soldiers?").citations[0].section
        == "الهجوم في تدمر"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What time was the call?",
        "How long did the call last?",
        "قديش طوّلت المكالمة بين الشيباني وروبيو؟",
        "الساعة قديش كانت المكالمة؟",
    ],
)
def test_a_clock_time_or_length_of_time_the_article_lacks_is_not_answered(
    shared_assistant, question: str
) -> None:
    # the call's date is given, but no sentence holds a time of day or a duration
    assert shared_assistant.ask(question).abstained


def test_a_length_of_time_the_article_gives_is_answered(use_m3, tmp_path) -> None:
    article = tmp_path / "talks.md"
    article.write_text("# Talks in Geneva\n\n## The meeting\n\nThe two delegations met in Geneva on Monday. "
                       "The talks lasted three hours and ended without a statement.\n", encoding="utf-8")
    assistant = Assistant(Settings(index_dir=tmp_path / "index", articles=[article]), embeddings=use_m3)
    answer = assistant.ask("How long did the talks last?")
    assert not answer.abstained and "three hours" in answer.citations[0].quote


@pytest.mark.parametrize(("question", "sections"), [
    ("بماذا وصف الوزير الهجوم؟", {"الهجوم في تدمر"}),  # «... ومعتبرًا إياه تحديًا جديدًا»
    ("What did Shaibani say about the attack?", {"الهجوم في تدمر", "أهمية الاتصال الهاتفي"}),
])
def test_a_what_did_he_say_question_is_answered_with_a_reporting_verb(shared_assistant, question: str,
                                                                     sections: set[str]) -> None:
    # without the `said` kind: the lead, which says only that he called to discuss the attack
    assert shared_assistant.ask(question).citations[0].section in sections


@pytest.mark.parametrize("question", ["What source does the article cite?", "من أين جاءت هذه الأخبار؟",
                                      "عن أي جهة إعلامية نُقل هذا التقرير؟"])
def test_a_source_question_is_answered_with_the_sentence_naming_the_source(
    shared_assistant, question: str
) -> None:
    answer = shared_assistant.ask(question)
    assert not answer.abstained
    assert "المصدر" in answer.citations[0].quote


def test_compound_question_leads_with_each_part(shared_assistant) -> None:
    passages = shared_assistant.retrieve(
        "How did the Syrian foreign minister respond to the attack, and what did he stress during the call?",
        k=6,
    )
    sections = list(dict.fromkeys(p.section for p in passages))
    assert sections[0] == "الهجوم في تدمر"  # the first part's section leads, not the call's lead section


def test_a_demonstrative_follow_up_does_not_quote_the_last_answer_again(shared_assistant) -> None:
    said = ("رغم التحذيرات بشأن أمن المنطقة، إلا أن قوات التحالف لم تأخذها بعين الاعتبار "
            "مما أدى إلى وقوع هذا الحادث")
    history = [{"role": "user", "content": "Did anyone warn about security?"},
               {"role": "assistant", "content": f"Yes: «{said}»."}]
    for question in ["What questions did this raise?", "وماذا نتج عن ذلك؟"]:
        answer = shared_assistant.ask(question, history=history)
        assert not answer.abstained and answer.citations[0].section == "التحديات الأمنية المستمرة"
        assert [c.quote for c in answer.citations if said in c.quote] == []


@pytest.mark.parametrize(("question", "section"), [
    ("What does the conclusion say?", "الخلاصة"),
    ("How does the article end?", "الخلاصة"),
    ("ما نوع الخطط التي يحتاجها البلدان مستقبلاً حسب خاتمة المقال؟", "الخلاصة"),
    ("What does the introduction say?", LEAD),
    ("What is this article about?", LEAD),
    ("ما موضوع المقال؟", LEAD),
    ("Summarise the article", LEAD),
    ("tl;dr", LEAD),  # abstained: no content word
])
def test_a_question_naming_a_part_of_the_article_is_answered_from_it(
    shared_assistant, question, section
) -> None:
    # without the place: the source line, the strategies section, the conclusion, or an abstention
    answer = shared_assistant.ask(question)
    assert not answer.abstained and answer.citations[0].section == section
    assert not is_source_line(answer.citations[0].quote)


@pytest.mark.parametrize(
    "questions", [("من اتصل بروبيو؟", "لماذا؟", "ومتى؟"), ("Who called Rubio?", "Why?", "And when?")]
)
def test_a_follow_up_after_a_wordless_one_is_read_with_the_question_before(
    shared_assistant, questions
) -> None:
    # "And when?" after "Why?" is about the call: read with "Why?" alone it abstained
    history: list[dict[str, str]] = []
    for question in questions:
        answer = shared_assistant.ask(question, history=history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    assert not answer.abstained and "14 ديسمبر 2025" in answer.citations[0].quote


@pytest.mark.parametrize("follow_up", ["شو حكوا؟", "عن شو حكوا؟"])
def test_a_levantine_what_did_they_say_is_read_with_the_question_before(
    shared_assistant, follow_up: str
) -> None:
    # حكى "talked, said" asks what kind of answer, like قال: as a content word the article lacks it abstained
    first = shared_assistant.ask("من اتصل بمن؟")
    history = [{"role": "user", "content": "من اتصل بمن؟"}, {"role": "assistant", "content": first.text}]
    assert not shared_assistant.ask(follow_up, history=history).abstained


@pytest.mark.parametrize(("question", "section"), [
    ("كيف بيأثر اللي صار على واشنطن ودمشق؟", "تحليل آثار الهجوم"),  # the article: «تأثيرات كبيرة»
    ("بشو لازم يلتزموا؟", "الخلاصة"),  # «الالتزام بوضع خطط أمنية»
    ("كيف سيؤثر الهجوم على العلاقات؟", "تحليل آثار الهجوم"),  # the future's سـ; it quoted the lead
    ("مين كان مجتمع بتدمر؟", "الهجوم في تدمر"),  # a participle -> «اجتماع»; it abstained
])
def test_a_verb_finds_the_verbal_noun_the_article_uses(shared_assistant, question: str, section: str) -> None:
    # the article names these acts by their verbal nouns only: both questions abstained
    answer = shared_assistant.ask(question)
    assert not answer.abstained and answer.citations[0].section == section


def test_a_quoted_clause_leaves_the_rest_of_its_sentence_unsaid(shared_assistant) -> None:
    # the last answer quoted a clause of the lead's first sentence (as an LLM's answer, or a user,
    # does): the sentence's call, not yet said, answers "who called whom?"; the repeat penalty sent
    # the answer to the lead's second sentence
    history = [
        {"role": "user", "content": "شو صار بتدمر؟"},
        {
            "role": "assistant",
            "content": "بحسب المقال: «الهجوم الذي وقع في منطقة تدمر، "
                       "والذي أسفر عن مقتل جنديين أمريكيين ومترجم».",
        },
    ]
    answer = shared_assistant.ask("ومين حكى مع مين بعدها؟", history=history)
    assert "اتصل وزير الخارجية السوري" in answer.citations[0].quote


def test_a_quote_that_points_back_brings_the_sentence_it_points_to(shared_assistant) -> None:
    # «وقد استهدف الهجوم تلك القوات ...» alone does not say which forces: the sentence before does
    answer = shared_assistant.ask("ما الذي استهدفه الهجوم؟")
    assert answer.citations[0].quote.startswith("وقد استهدف الهجوم تلك القوات")
    assert answer.citations[1].quote.startswith("وقع الهجوم أثناء اجتماع لقوات سورية وأمريكية")
    assert answer.citations[1].section == answer.citations[0].section


@pytest.mark.parametrize("question", ["What was the date of the call?", "ما تاريخ الاتصال؟"])
def test_the_date_of_the_call(shared_assistant, question: str) -> None:
    # "What was the date ...?" was no `when` question, and "date" an untranslatable word: it abstained.
    # «الاتصال» is the noun of the lead's verb «اتصل»: it quoted «كان الاتصال بين الشيباني وروبيو ...»
    assert "when" in kinds_of(question)
    answer = shared_assistant.ask(question)
    assert not answer.abstained and "14 ديسمبر 2025" in answer.citations[0].quote


@pytest.mark.parametrize(("question", "section"), [
    ("What does the analysis section say?", "تحليل آثار الهجوم"),
    ("What does the section on strategies say?", "استراتيجيات مكافحة الجماعات الإرهابية"),
])
def test_a_question_about_a_section_is_no_said_question(
    shared_assistant, question: str, section: str
) -> None:
    # "What does the analysis section say?" read as what someone said (the condolences sentence),
    # and "section" went through the word bridge to بشأن/خلاصة/منطقة
    assert "said" not in kinds_of(question)
    assert shared_assistant.ask(question).citations[0].section == section
