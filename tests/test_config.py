"""Profiles and app files: loading, and validation messages that name file, key and line."""
import pytest

from appaudit.scanner.appfile import load_app
from appaudit.scanner.check import all_checks
from appaudit.scanner.model import Severity
from appaudit.scanner.profile_loader import builtin_names, load_profile
from appaudit.scanner.yamlfile import ConfigError


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems_of(loader, path):
    with pytest.raises(ConfigError) as caught:
        loader(path)
    return caught.value.problems


def test_default_profile_enables_every_check():
    assert "default" in builtin_names()
    assert load_profile("default").enabled == tuple(all_checks())


def test_every_builtin_profile_is_valid():
    for name in builtin_names():
        assert load_profile(name).name == name


def test_profile_include_exclude_and_severity(tmp_path):
    path = write(tmp_path, "p.yaml", "name: ci\ninclude: [DH001, DH002]\nexclude: [DH002]\nseverity:\n  DH001: critical\n")
    profile = load_profile(path)
    assert profile.enabled == ("DH001",)
    assert profile.severity_override("DH001") is Severity.CRITICAL


def test_profile_extends_a_builtin(tmp_path):
    path = write(tmp_path, "p.yaml", "extends: default\nexclude: [DH001]\n")
    assert "DH001" not in load_profile(path).enabled
    assert "DH002" in load_profile(path).enabled


def test_profile_errors_name_file_key_line_and_suggest(tmp_path):
    path = write(tmp_path, "p.yaml", "name: ci\ninclude:\n  - dh001\nseverity:\n  DH001: severe\nchekcs: 1\n")
    problems = problems_of(load_profile, path)
    assert f"{path}:3: include[0]: unknown check id 'dh001' (did you mean DH001?)" in problems
    assert any(p.startswith(f"{path}:5: severity.DH001: unknown severity 'severe'") for p in problems)
    assert any(p.startswith(f"{path}:6: chekcs: unknown key") for p in problems)
    assert len(problems) == 3  # all collected at once


def test_profile_wrong_type(tmp_path):
    path = write(tmp_path, "p.yaml", "severity: [DH001]\n")
    assert problems_of(load_profile, path) == [f"{path}:1: severity: expected a mapping of check id to severity, got a list"]


def test_profile_yaml_syntax_error_names_line(tmp_path):
    path = write(tmp_path, "p.yaml", "name: x\ninclude: [DH001\n")
    [problem] = problems_of(load_profile, path)
    assert problem.startswith(f"{path}:") and "invalid YAML" in problem


def test_unknown_profile_name_suggests_a_builtin():
    [problem] = problems_of(load_profile, "defualt")
    assert "did you mean 'default'" in problem


def test_yaml_is_loaded_safely(tmp_path):
    path = write(tmp_path, "p.yaml", "name: !!python/object/apply:os.system ['echo pwned']\n")
    [problem] = problems_of(load_profile, path)
    assert "invalid YAML" in problem


APP = """\
name: Demo Shop
first_party: [demoshop.com, demoshop-cdn.net]
third_parties:
  - name: Umeng
    domains: [umeng.com, umengcloud.com]
    data: [android_id, advertising_id]
    purpose: analytics
consent:
  url: "https://api.demoshop.com/v1/privacy/consent*"
canaries:
  phone: "13912345678"
  name: "张三"
brands:
  - name: Demo Shop
    domains: [demoshop.com]
"""


def test_app_file_loads(tmp_path):
    app = load_app(write(tmp_path, "app.yaml", APP))
    assert app.first_party == ("demoshop.com", "demoshop-cdn.net")
    assert app.third_parties[0].data == {"android_id", "advertising_id"}
    assert app.consent.given_by("https://api.demoshop.com/v1/privacy/consent?accept=1")
    assert not app.consent.given_by("https://api.demoshop.com/v1/config")
    assert app.canaries == {"phone": "13912345678", "name": "张三"}
    assert app.brands[0].domains == ("demoshop.com",)


def test_app_consent_time_needs_an_offset(tmp_path):
    app = load_app(write(tmp_path, "a.yaml", 'consent:\n  time: "2026-11-22T10:00:00+08:00"\n'))
    assert app.consent.time == 1795312800.0
    path = write(tmp_path, "b.yaml", 'consent:\n  time: "2026-11-22 10:00"\n')
    [problem] = problems_of(load_app, path)
    assert problem.startswith(f"{path}:2: consent.time: expected an ISO 8601 time")


def test_app_file_errors_name_key_and_line(tmp_path):
    text = APP.replace("data: [android_id, advertising_id]", "data: [android_id, imei_number]") \
              .replace("name: Demo Shop\nfirst", "name: Demo Shop\nfirst_parties: []\nfirst")
    text = text.replace('  name: "张三"', "  name: [1]")
    path = write(tmp_path, "app.yaml", text)
    problems = problems_of(load_app, path)
    assert any(p.startswith(f"{path}:2: first_parties: unknown key (did you mean 'first_party'?)") for p in problems)
    assert any(p.startswith(f"{path}:7: third_parties[0].data[1]: unknown data type 'imei_number'") for p in problems)
    assert any(p.startswith(f"{path}:13: canaries.name: expected a non-empty string") for p in problems)


def test_app_file_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "app.yaml", "- just\n- a list\n")
    [problem] = problems_of(load_app, path)
    assert problem.startswith(f"{path}:1: an app file must be a mapping")


def test_app_file_domains_and_sdks_are_checked(tmp_path):
    path = write(tmp_path, "app.yaml", "first_party: [com.cn]\nsdks:\n  - id: my-sdk\n    name: Mine\n")
    problems = problems_of(load_app, path)
    assert any(p.startswith(f"{path}:1: first_party[0]: 'com.cn' is a public suffix") for p in problems)
    assert any(p.startswith(f"{path}:3: sdks[0]") for p in problems)
