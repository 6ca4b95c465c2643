"""Hostile YAML in app files and profiles: bounded work, one-line errors, no silent
last-wins (issue 24)."""
import time

import pytest
from click.testing import CliRunner

from appaudit.scanner.appfile import load_app
from appaudit.scanner.cli import main
from appaudit.scanner.profile_loader import load_profile
from appaudit.scanner.yamlfile import ConfigError, load_yaml


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader", [load_app, load_profile, load_yaml])
def test_alias_bomb_is_refused_quickly(tmp_path, loader):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    started = time.process_time()
    with pytest.raises(ConfigError) as caught:
        loader(str(path))
    assert time.process_time() - started < 5
    assert caught.value.problems == [f"{path}:9: a8: YAML aliases expand to more than 100,000 values (an alias bomb, "
                                     "or a value that contains itself); write the values out instead"]


def test_a_value_that_contains_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [1, *a]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_yaml(str(path))
    assert caught.value.problems[0].startswith(f"{path}:1: a: YAML aliases expand to more than 100,000 values")


def test_modest_aliases_still_load_and_keep_their_first_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("base: &b\n  DH001: high\nseverity: *b\n", encoding="utf-8")
    document = load_yaml(str(path))
    assert document.data["severity"] == {"DH001": "high"}
    assert document.line(("base", "DH001")) == 2


@pytest.mark.parametrize("text", ["a: " + "[" * 10_000 + "]" * 10_000 + "\n",
                                  "".join("  " * i + f"k{i}:\n" for i in range(10_000)) + "  " * 10_000 + "v\n"])
def test_ten_thousand_levels_deep_is_one_line(tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "validate", str(path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "nested more than 64 levels deep" in result.output
    assert "Traceback" not in result.output


def test_duplicate_keys_are_rejected_with_both_lines(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text("first_party: [example.com]\ncanaries:\n  phone: '13800138000'\n  phone: '13900139000'\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_app(str(path))
    assert caught.value.problems == [f"{path}:4: canaries.phone: duplicate key (first given on line 3)"]
    result = CliRunner().invoke(main, ["profiles", "validate", str(path)])
    assert result.exit_code == 2 and "duplicate key" in result.output


def test_same_key_in_different_mappings_is_not_a_duplicate(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("severity:\n  DH001: high\nsettings:\n  DH001: {}\n", encoding="utf-8")
    assert load_yaml(str(path)).data["settings"] == {"DH001": {}}


def test_scan_refuses_an_alias_bomb_app_file(tmp_path):
    app = tmp_path / "app.yaml"
    app.write_text(alias_bomb(), encoding="utf-8")
    page = tmp_path / "p.html"
    page.write_text("<html><body>x</body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "-a", str(app), str(page)])
    assert result.exit_code == 2 and "aliases expand" in result.output
