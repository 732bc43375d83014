"""Follow-ups read with the last answer's quotes or the previous question (qa.question.followup)."""

from __future__ import annotations

from qa.question.followup import quoted, search_text
from qa.question.query import Term, focus_terms


def test_follow_up_terms_and_quotes() -> None:
    own = [Term(("قدم",), 2.0)]
    context = [Term(("قدم",), 1.0), Term(("روبيو",), 3.0)]
    assert focus_terms(tuple(own), tuple(context), 0.5) == (Term(("قدم",), 2.0), Term(("روبيو",), 1.5))
    assert quoted("He said «اتصل وزير الخارجية السوري» then.") == ["اتصل وزير الخارجيه السوري"]


def test_a_demonstrative_follow_up_is_read_with_what_the_last_answer_quoted() -> None:
    history = [
        {"role": "user", "content": "Who called whom?"},
        {
            "role": "assistant",
            "content": "Shaibani called Rubio: «اتصل وزير الخارجية السوري بنظيره الأمريكي».",
        },
    ]
    assert (
        search_text("And when was that?", history)
        == "And when was that? اتصل وزير الخارجية السوري بنظيره الأمريكي"
    )
    assert search_text("ومتى كان ذلك؟", history) == "ومتى كان ذلك؟ اتصل وزير الخارجية السوري بنظيره الأمريكي"
    for levantine in ("وإيمتى صار هالشي؟", "وإيمتى صار هاد؟"):  # Levantine "this"
        assert search_text(levantine, history) == f"{levantine} اتصل وزير الخارجية السوري بنظيره الأمريكي"
    assert search_text("And when?", history) == "Who called whom? And when?"  # no "that": the last question
    unquoted = [history[0], {"role": "assistant", "content": "Shaibani called Rubio."}]
    assert search_text("And when was that?", unquoted) == "Who called whom? And when was that?"
