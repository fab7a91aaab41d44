"""Errors and notes name the controls that fix them as tokens, worded by whichever face shows them."""

from __future__ import annotations

import pytest

from clusterlab.core.errors import Control, InputError, Note, python_words, render


@pytest.mark.parametrize(
    ("control", "token", "python"),
    [
        (Control("heavy_tails", "keep"), '{heavy_tails="keep"}', 'heavy_tails="keep"'),
        (Control("k_limit"), "{k_limit}", "k_limit"),
        (Control("k_max", 8), "{k_max=8}", "k_max=8"),
        (Control("roles", {"a}b": 'q"t'}), '{roles={"a}b": "q\\"t"}}', 'roles={"a}b": "q\\"t"}'),
        (Control("exclude", ["Zürich"]), '{exclude=["Zürich"]}', 'exclude=["Zürich"]'),
        (Control("out"), "{out}", "the folder given to save()"),
    ],
)
def test_a_control_is_a_token_that_python_words_as_a_keyword(
    control: Control, token: str, python: str
) -> None:
    assert str(control) == token
    assert render(f"Fix it with {control}.", python_words) == f"Fix it with {python}."


def test_only_known_controls_are_read_as_tokens() -> None:
    text = "Column '{x}' has {unknown=1} and {k_max=} and {roles={oops}"
    assert render(text, lambda control: "!") == text


def test_errors_and_notes_keep_the_template_and_word_it_on_request() -> None:
    err = InputError(f"Leave it out with {Control('exclude', ['id'])}.", detail={"column": "id"})
    assert err.message == 'Leave it out with {exclude=["id"]}.'
    assert str(err) == 'Leave it out with exclude=["id"].'
    assert err.text(lambda control: f"--{control.name} id") == "Leave it out with --exclude id."
    note = Note("encode", f"Turn off with {Control('weighting', 'none')}.", level="warning")
    assert note.text() == 'Turn off with weighting="none".'
    assert note.to_dict(lambda control: "X") == {
        "stage": "encode",
        "message": "Turn off with X.",
        "level": "warning",
    }
