"""Form logic: fields from the settings table, column choices, orders from typed positions."""

from __future__ import annotations

import pytest

from clusterlab.core import SETTINGS, SettingsError
from clusterlab.web.form_models import OptionsForm, OrderForm, RunForm
from clusterlab.web.forms import (
    column_state,
    effective_role,
    order_candidates,
    parse_k,
    parse_settings_form,
    set_choice,
    settings_fields,
    settings_groups,
    unknown_field,
)

COLUMNS = [
    {"name": "size", "role": "categorical", "n_distinct": 3, "levels": [["M", 5], ["S", 3], ["L", 2]]},
    {"name": "city", "role": "categorical", "n_distinct": 80},
    {"name": "age", "role": "numeric", "n_distinct": 40},
    {"name": "paid", "role": "binary", "n_distinct": 2},
]


def test_every_web_setting_gets_a_field_with_a_plain_label_in_its_group() -> None:
    fields = settings_fields({"k_max": 15})
    assert sorted(f.name for f in fields) == sorted(s.name for s in SETTINGS if s.web and s.name != "k")
    by_name = {f.name: f for f in fields}
    assert (by_name["k_max"].value, by_name["k_max"].label, by_name["k_max"].default) == (
        "15",
        "Most clusters",
        "10",
    )
    assert by_name["k_max"].changed
    assert not by_name["k_min"].changed
    assert by_name["outliers"].label == "Far-out values"
    assert by_name["outliers"].default == "count them as the limit"
    assert by_name["impute"].input == {
        "type": "select",
        "options": [("fill", "fill them in"), ("none", "leave those rows unclustered")],
    }
    assert by_name["pca_variance"].input == {"type": "number", "min": "0.5", "max": "1", "step": "any"}
    # Grouped by what a person decides, in that order: how many clusters first, never "Advanced".
    groups = [title for title, _ in settings_groups(fields)]
    assert groups == [
        "How many clusters to try",
        "How to cluster",
        "How the columns are treated",
        "Outliers",
        "Reproducibility and speed",
    ]
    assert [f.name for f in settings_groups(fields)[0][1]] == ["k_min", "k_max", "k_limit"]


def test_labels_are_plain_and_hints_add_to_them() -> None:
    # The options once had labels cut from their help ("'balanced'", "A few values", a label with
    # "k_min..k_max") over hints that began by repeating them.
    import re

    for spec in SETTINGS:
        assert spec.label
        assert spec.label[0].isupper()
        assert not re.search(r"[_']|\.\.", spec.label), spec.label
        assert not spec.help.lower().startswith(spec.label.lower()), spec.name
        if spec.web:
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", spec.help), spec.help  # no setting's name
        for value, words in spec.options.items():
            assert spec.accepts.is_satisfied_by(value)
            assert words
            assert words != value


def test_the_settings_forms_are_generated_from_the_settings_table() -> None:
    web = {s.name for s in SETTINGS if s.web}
    assert set(OptionsForm.model_fields) == web
    assert set(RunForm.model_fields) == web | {
        "file",
        "sample",
        "roles",
        "exclude",
        "ordinal",
        "label",
        "sheet",
    }
    form = OptionsForm.model_validate({"k_max": " 12 ", "impute": "NONE"})  # text, as Settings.parse reads it
    assert form.settings({"seed": 7}) == {"k_max": 12, "impute": "none", "seed": 7}
    with pytest.raises(SettingsError, match=r"^k_max must be a whole number from 2 to 200; got 'ten'\.$"):
        OptionsForm.model_validate({"k_max": "ten"}).settings({})


def test_unknown_fields_are_named_in_the_settings_tables_words() -> None:
    assert unknown_field("kmax").message == "Unknown setting 'kmax'. Did you mean 'k_max'?"
    assert unknown_field("engine").message.startswith("Setting 'engine' is not available in the web app")
    assert unknown_field("k_max").message == "This form has no field 'k_max'."


def test_settings_form_keeps_only_changes_and_uses_the_core_messages() -> None:
    assert parse_settings_form({"k_max": "12", "seed": "42", "k": "auto"}, {}) == {"k_max": 12}
    assert parse_settings_form({"seed": "7"}, {"k_max": 12}) == {"k_max": 12, "seed": 7}
    with pytest.raises(SettingsError, match=r"^k_max must be a whole number from 2 to 200; got 1000"):
        parse_settings_form({"k_max": "1000"}, {})
    assert parse_k("4") == 4
    assert parse_k("1") == 1  # one cluster: anomaly detection
    with pytest.raises(SettingsError, match="'auto' or a whole number from 1 to 200"):
        parse_k("0")


def test_choices_set_and_clear_one_column() -> None:
    size = COLUMNS[0]
    choices = set_choice({}, size, "excluded")
    assert choices["exclude"] == ["size"]
    assert effective_role(size, choices) == "excluded"
    choices = set_choice(choices, size, "label")
    assert (choices["exclude"], choices["label"]) == ([], "size")
    choices = set_choice(choices, size, "categorical")  # the detected role clears every choice
    assert choices == {"roles": {}, "exclude": [], "ordinal": {}, "label": None}
    assert set_choice({}, COLUMNS[2], "categorical")["roles"] == {"age": "categorical"}
    with pytest.raises(SettingsError, match="needs an order"):
        set_choice({}, size, "ordinal")
    with pytest.raises(SettingsError, match="Role 'colour' for column 'size' is unknown"):
        set_choice({}, size, "colour")


def test_column_state_marks_changes() -> None:
    state = column_state(COLUMNS, {"exclude": ["age"]})
    assert [(c["current"], c["changed"]) for c in state] == [
        ("categorical", False),
        ("categorical", False),
        ("excluded", True),
        ("binary", False),
    ]


def test_order_candidates_are_categories_with_3_to_30_values() -> None:
    can, too_many = order_candidates(COLUMNS, {})
    assert [c["name"] for c in can] == ["size"]
    assert [c["name"] for c in too_many] == ["city"]
    # An integer column the user made a category can be ordered too, if its values were listed.
    rated = [*COLUMNS, {"name": "stars", "role": "numeric", "n_distinct": 5, "levels": [["1", 1]] * 5}]
    assert [c["name"] for c in order_candidates(rated, {"roles": {"stars": "categorical"}})[0]] == [
        "size",
        "stars",
    ]


def test_order_from_typed_positions() -> None:
    size = {**COLUMNS[0], "index": 0}
    form = {"ordered_0": "yes", "rank_0_0": "2", "rank_0_1": "1", "rank_0_2": "3"}  # M=2, S=1, L=3
    assert OrderForm.model_validate(form).order_of(size) == ["S", "M", "L"]
    assert OrderForm.model_validate({**form, "ordered_0": "no"}).order_of(size) is None
    with pytest.raises(SettingsError, match="'S' has 'first'"):
        OrderForm.model_validate({**form, "rank_0_1": "first"}).order_of(size)
