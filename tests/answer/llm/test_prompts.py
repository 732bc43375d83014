"""Every prompt under prompts/ renders, strictly: a missing variable fails."""

from __future__ import annotations

import pytest

from qa import prompts
from qa.answer.llm.chain import answer_messages
from qa.answer.llm.packing import Packed
from qa.errors import ConfigError

PASSAGES = [Packed(1, 0, "الهجوم في تدمر", "وقع الهجوم أثناء اجتماع.", 12, 0.9),
            Packed(2, 3, "الخلاصة", "يظهر الاتصال الهاتفي.", 10, 0.5)]

# One example per prompt; a new prompt file must add its variables here.
EXAMPLES: dict[str, dict[str, object]] = {
    "system": {},
    "system_echo_ar": {},
    "answer": {"passages": PASSAGES, "question": "Who called whom?", "language_name": "English"},
    "condense": {"history": [{"role": "user", "content": "Who called Rubio?"},
                             {"role": "assistant", "content": "Shaibani [1]."}],
                 "question": "And when?", "language_name": "English"},
    "translate": {"question": "Who called whom?", "target_language": "Arabic"},
    "translate_article": {"heading": "الخلاصة", "text": "يظهر الاتصال الهاتفي.", "source_language": "Arabic",
                          "target_language": "English"},
    "judge": {"question": "Who called?", "language": "en", "answer": "Shaibani [1].",
              "citations": [{"marker": 1, "section": "الخلاصة", "quote": "يظهر الاتصال الهاتفي."}],
              "answerable": True, "facts": [["الشيباني", "Shaibani"]]},
}


def test_every_prompt_has_an_example() -> None:
    assert set(prompts.names()) <= set(EXAMPLES), "add the new prompt's variables to EXAMPLES"
    assert {"system", "answer", "condense", "translate"} <= set(prompts.names())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_prompt_renders_with_its_variables(name: str) -> None:
    if name not in prompts.names():
        pytest.skip(f"prompts/{name}.md is not in this checkout")
    text = prompts.render(name, **EXAMPLES[name])
    assert text.strip()
    assert "{{" not in text and "{%" not in text
    for value in EXAMPLES[name].values():
        if isinstance(value, str) and value:
            assert value in text


@pytest.mark.parametrize("name", [n for n, v in EXAMPLES.items() if v])
def test_a_missing_variable_fails(name: str) -> None:
    if name not in prompts.names():
        pytest.skip(f"prompts/{name}.md is not in this checkout")
    variables = dict(EXAMPLES[name])
    missing = sorted(variables)[0]
    del variables[missing]
    with pytest.raises(ConfigError, match=missing):
        prompts.render(name, **variables)


def test_unknown_prompt_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="answer"):
        prompts.load("no-such-prompt")


def test_system_prompt_is_fixed_text_and_the_article_is_data() -> None:
    messages = answer_messages(PASSAGES, "Who called whom?", "en")
    assert messages[0].content == prompts.render("system")
    assert "instructions" in messages[0].content  # it says the passages are not instructions
    user = messages[1].content
    assert isinstance(user, str)
    block = user.split("<article_passages>")[1].split("</article_passages>")[0]
    for p in PASSAGES:
        assert f"[{p.number}] (section: {p.section})" in block and p.text in block
    assert "English" in user.split("</article_passages>")[1]
