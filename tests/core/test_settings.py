"""The settings table: one source for flags, validation and the web form."""

from __future__ import annotations

import pytest

from clusterlab.core import SETTINGS, Settings, SettingsError
from clusterlab.core.settings import SettingSpec


def test_parse_converts_text() -> None:
    s = Settings.parse({"k": "4", "k_max": "12", "pca_variance": "0.9", "impute": "NONE", "seed": None})
    assert (s.k, s.k_max, s.pca_variance, s.impute, s.seed) == (4, 12, 0.9, "none", 42)
    assert Settings.parse({"k": "Auto"}).k == "auto"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"k_max": "ten"}, r"^k_max must be a whole number from 2 to 200; got 'ten'"),
        ({"k": "0"}, r"^k must be 'auto' or a whole number from 1 to 200; got 0"),
        ({"k_min": 5, "k_max": 3}, r"^k_min \(5\) must not be above k_max \(3\)"),
        ({"pca_variance": "2"}, r"^pca_variance must be a number from 0.5 to 1"),
        ({"impute": "mean"}, r"^impute must be one of 'fill', 'none'"),
        ({"kmax": 4}, r"Unknown setting 'kmax'. Did you mean 'k_max'\?"),
        ({"seed": True}, r"^seed must be a whole number"),
        ({"k_max": 2.5}, r"^k_max must be a whole number"),
    ],
)
def test_invalid_settings(values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.parse(values)


def test_every_setting_is_documented_and_its_default_valid() -> None:
    names = [spec.name for spec in SETTINGS]
    assert len(names) == len(set(names))
    for spec in SETTINGS:
        assert isinstance(spec, SettingSpec)
        assert spec.help.endswith(".")
        spec.check(spec.default)  # raises if the table contradicts itself
        assert spec.flag == "--" + spec.name.replace("_", "-")


def test_readme_documents_every_cli_setting_with_its_default() -> None:
    # The README's Options table, read back: every flag of the settings table is in it, with the default
    # the table gives (a row may list several flags and their defaults, comma-separated).
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### Options") : readme.index("## Use it in the browser")]
    documented: dict[str, str] = {}
    for flags, defaults in re.findall(r"^\| (`--[^|]+) \| ([^|]+) \|", section, flags=re.M):
        names = re.findall(r"`(--[\w-]+)`", flags)
        values = [v.strip() for v in defaults.split(",")]
        assert len(names) == len(values), flags
        documented.update(zip(names, values, strict=True))
    for spec in SETTINGS:
        if spec.group == "input":  # --sheet is with the column choices above the table
            continue
        expected = (
            "unset"
            if spec.default is None
            else f"{spec.default:g}"
            if isinstance(spec.default, float)
            else str(spec.default)
        )
        assert documented.get(spec.flag) == expected, f"README: {spec.flag} should show default {expected}"
