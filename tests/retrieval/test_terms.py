"""A question's terms in the article's own words: clitics, verb forms, dialect, the word bridge, names
(qa.retrieval.terms), on the real seed index."""

from __future__ import annotations

import pytest

from qa.text.bridge import foreign_words, variants
from qa.text.names import names, skeleton_arabic, skeleton_latin, uncommon
from qa.text.normalize import normalize
from qa.text.words import tokens
from tests.conftest import LEAD, terms_of


def test_the_bridge_maps_english_words_to_the_articles_arabic(shared_assistant) -> None:
    index = shared_assistant.index()
    bridged = {tok for term in terms_of(index, "What happened to the soldiers?") for tok in term.tokens}
    assert "جنود" in bridged  # the article's own word for soldiers, stemmed
    assert not terms_of(index, "the of and")  # stopwords only: nothing to match


def test_an_acronym_is_looked_up_as_typed(shared_assistant) -> None:
    # the encoder is case-aware: "ISIS" lies near الإسلامية, "isis" (and a stripped "isi") near the
    # source's name إناب
    assert variants("ISIS") == ["ISIS"]
    assert variants("Soldiers") == ["soldiers", "soldier"]
    assert foreign_words("Did ISIS or the Soldiers say so?") == ["ISIS", "Soldiers"]
    bridged = {
        tok
        for term in terms_of(shared_assistant.index(), "What does the article recommend against ISIS?")
        if term.translated
        for tok in term.tokens
    }
    assert "اسلام" in bridged
    assert "اناب" not in bridged


def test_one_batched_vocabulary_query_finds_what_single_queries_find(shared_assistant) -> None:
    index = shared_assistant.index()
    vectors = index.embeddings.embed_array(["soldiers", "call", "ISIS"])
    batched = index.vocabulary.nearest_words(vectors, 3)
    vocab = shared_assistant.store.collection(index.manifest.active, "vocab")
    for vector, found in zip(vectors, batched, strict=True):
        one = vocab.query(query_embeddings=[vector], n_results=3, include=["metadatas", "distances"])
        assert [w for w, _ in found] == [m["word"] for m in one["metadatas"][0]]  # schema 4: no documents
        assert [round(c, 5) for _, c in found] == [round(1 - d, 5) for d in one["distances"][0]]
    assert batched[0][0][0] == "جنود"


def test_names_are_matched_by_their_consonants(shared_assistant) -> None:
    assert skeleton_latin("Shaibani") == skeleton_arabic("شيبان")
    assert skeleton_latin("Rubio") == skeleton_arabic("روبيو")
    assert skeleton_latin("Denver") != skeleton_arabic("روبيو")
    assert names("Why did Shaibani call Rubio?") == ["shaibani", "rubio"]
    assert names("Describe the call") == []  # a sentence's first word is capitalised anyway
    assert names("Shibani") == ["shibani"] and names("Rubio?") == ["rubio"]  # a name alone
    terms = terms_of(shared_assistant.index(), "Why did Shaibani call Rubio?")
    assert any("روبيو" in t.tokens for t in terms)  # the encoder alone does not bridge this name


@pytest.mark.parametrize(("word", "expected"), [
    ("rubio", True), ("shaibani", True), ("palmyra", True), ("Rubio", True),
    ("called", False), ("soldiers", False), ("interpreter", False), ("attack", False), ("Washington", False),
    ("bomb", False), ("isi", False),  # under four letters: too short to tell
])
def test_a_common_english_word_is_one_cl100k_token(word: str, expected: bool) -> None:
    assert uncommon(word) is expected


@pytest.mark.parametrize(("question", "name"), [
    ("who called rubio?", "روبيو"), ("what did marco rubio say", "روبيو"),
    ("what did shaibani tell him?", "شيبان"), ("what happened in palmyra", "تدمر"),
    ("Rubio spoke with whom?", "روبيو"),  # a first word can be a name when it is not an English word
])
def test_a_name_typed_in_lower_case_is_found(shared_assistant, question: str, name: str) -> None:
    terms = terms_of(shared_assistant.index(), question)
    assert any(name in t.tokens for t in terms)
    answer = shared_assistant.ask(question)  # all abstained: only capitalised words were names
    assert not answer.abstained
    assert any(name in normalize(c.quote) for c in answer.citations)


def test_unknown_clitics_fall_back_to_the_articles_words(shared_assistant) -> None:
    index = shared_assistant.index()
    assert "بتدمر" not in index.lexical.idf  # the light stemmer keeps a bare ب
    assert index.vocabulary.known("بتدمر") == ("تدمر",)
    assert "مقتل" in index.vocabulary.known("قتل")  # a word the article has with one more letter
    assert index.vocabulary.known("تدمر") == ("تدمر",)


def test_spoke_is_not_read_as_happened(shared_assistant) -> None:
    answer = shared_assistant.ask("ماذا تحدث الوزيران؟")  # "what did the two ministers talk about?"
    assert not answer.abstained and answer.citations[0].section == LEAD  # «... لمناقشة الأحداث ...»


def test_words_the_light_stemmer_leaves_half_done_are_stemmed_once_more(shared_assistant) -> None:
    index = shared_assistant.index()
    # the article's bare وزير loses its root و (زير); a question's الوزير only its ال (وزير)
    assert tokens("الوزير") == ["وزير"] and tokens("وزير الخارجية")[0] == "زير"
    assert "زير" in index.vocabulary.known("وزير")
    # the adverbial accusative: هاتفياً -> هاتفيا, which the stemmer keeps; the article has الهاتفي
    assert "هاتف" in index.vocabulary.known(tokens("هاتفياً")[0])
    # a verb's ending: the article has ساعدت, the question ساعد
    assert "ساعدت" in index.vocabulary.known("ساعد")
    assert index.vocabulary.known("يتعامل") == ("تعامل",)  # present tense; the article has التعامل
    assert index.vocabulary.known("اتصلوا") == ("اتصل",)  # past tense, they
    assert index.vocabulary.known("يحتاج") == ("تحتاج",)  # another person of the verb: the article has تحتاج
    # a leading ت can be the verb's own (تحدث "spoke", form V), so it is never just dropped: the
    # article's حدث is "event, happened"
    assert index.vocabulary.known("تحدث") == ("تحدث",)
    assert index.vocabulary.known(tokens("عالعلاقة")[0]) == ("علاق",)  # Levantine ع+ال (على ال)
    # Levantine "must" is grammar, not الأزمة with a preposition (ل + ازم)
    assert [t.tokens for t in terms_of(index, "شو لازم يعملوا البلدين؟")] == [("يعملوا",), ("بلد",)]
    assert index.vocabulary.known("شجبوا") == ("شجبوا",)  # nothing like it in the article: kept as it is
    assert index.vocabulary.known("انقتل") == ("مقتل",)  # a Levantine form VII passive: "got killed"
    assert index.vocabulary.known("انتهى") == ("انتهى",)  # no نتهى-like word in the article: kept
    assert index.vocabulary.known("ياثر") == ("تاثير",)  # a derived verb -> its verbal noun (تأثيرات)
    assert index.vocabulary.known("يلتزموا") == ("التزام",)  # form VIII: the article's الالتزام
    terms = terms_of(index, "مع من تحدّث الوزير السوري هاتفياً؟")
    assert {"زير", "هاتف"} <= {tok for t in terms for tok in t.tokens}


def test_going_to_is_grammar_not_a_word_to_translate(shared_assistant) -> None:
    # the bridge put "going" next to يمر ("passes") with confidence 0.96, enough to answer a weather
    # question from «لا يمكن أن يمر هذا الحدث ...»
    assert foreign_words("Is it going to rain in Damascus this weekend?") == ["rain", "Damascus", "weekend"]
    assert shared_assistant.ask("Is it going to rain in Damascus this weekend?").abstained


def test_exact_matching_counts_as_far_as_the_question_is_in_the_article(shared_assistant) -> None:
    index = shared_assistant.index()
    assert index.lexical.matched_share(terms_of(index, "من اتصل بمن ومتى؟")) == 1.0
    paraphrase = terms_of(index, "كيف تفاعل رئيس الدبلوماسية مع سقوط القتلى؟")  # وزير الخارجية، مقتل
    assert index.lexical.matched_share(paraphrase) < 0.5
    assert index.lexical.matched_share([]) == 0.0


def test_phrasal_verb_particles_are_grammar(shared_assistant) -> None:
    # "out" of "carried out" went to يمر ("passes") at confidence 0.85, and «لا يمكن أن يمر هذا
    # الحدث» outranked the sentences that say where the attack was
    assert foreign_words("Where was the attack carried out?") == ["attack", "carried"]
    assert foreign_words("How does it sum up the call?") == ["sum", "call"]
    assert foreign_words("What should be done about it, and what were they doing?") == []
    assert tokens("من هم الضحايا بحسب المقال؟", drop_stopwords=True) == ["ضحايا"]


def test_a_heading_counts_for_the_sentences_under_it(shared_assistant) -> None:
    from qa.question.query import Term

    index = shared_assistant.index()
    (token,) = tokens("تدمر")
    under = [n for n, s in enumerate(index.sentences) if index.chunks[s.chunk].section == "الهجوم في تدمر"]
    assert under and all(token not in index.sentences[n].tokens for n in under)  # only the heading says تدمر
    coverage = index.lexical.sentence_coverage([Term((token,), 1.0)])
    assert all(coverage[n] == 1.0 for n in under)


def test_a_levantine_passive_finds_the_article_word(shared_assistant) -> None:
    # انقتل "got killed": unknown to the index, it abstained; without its ان it is قتل -> مقتل
    answer = shared_assistant.ask("كم واحد انقتل؟")
    assert not answer.abstained and "جنديين" in answer.citations[0].quote


def test_a_question_word_whose_stem_is_a_stopword_still_counts(shared_assistant) -> None:
    # هوية stems to هو, a stopword: the question was left with حدد and مهاجم, neither in the article, and
    # abstained
    answer = shared_assistant.ask("من حدد هوية المهاجم؟")
    assert not answer.abstained and answer.citations[0].section == "التحديات الأمنية المستمرة"
