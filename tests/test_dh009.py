"""DH009 collection-before-consent: positives and hard negatives."""
from __future__ import annotations

import pytest
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import (
    ANDROID_ID,
    IMEI,
    JWT,
    T0,
    app_from_yaml,
    consent_flow,
    demo_app,
    demo_config,
    flow_findings,
    make_flow,
    pangle_ad,
    settings_for,
    umeng_flow,
    umeng_log,
)

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh009"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH009")


def test_sdk_before_consent_url():
    flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30), consent_flow(T0),
             umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 30)]
    found = flow_findings("DH009", flows, app=demo_app())
    assert found and {f.location.flow for f in found} == {0}


def test_first_party_personal_data_before_consent():
    flows = [make_flow("GET", f"https://api.demoshop.com/v1/init?imei={IMEI}", timestamp=T0 - 30), consent_flow(T0)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app())} == {0}


def test_first_party_without_personal_data_before_consent_is_fine():
    flows = [make_flow("GET", "https://api.demoshop.com/v1/config?channel=huawei&ver=3.2.1", timestamp=T0 - 30,
                       response_json={"privacyVersion": "2024-10", "splash": []}),
             make_flow("GET", "https://img.demoshop-cdn.net/splash/1111.jpg", timestamp=T0 - 20),
             consent_flow(T0)]
    assert not flow_findings("DH009", flows, app=demo_app())


def test_consent_url_glob_does_not_match_other_paths():
    # a GET of the policy text is not the consent
    flows = [make_flow("GET", "https://api.demoshop.com/v1/privacy/policy.html", timestamp=T0 - 60),
             umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app())} == {1}


def test_consent_time():
    yaml_text = 'name: Demo\nfirst_party: [demoshop.com]\nconsent:\n  time: "2025-11-25T00:00:00+08:00"\n'
    assert T0 == 1_764_000_000.0  # 2025-11-24T16:00:00Z
    flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 5),
             umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 5)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app(yaml_text))} == {0}


def test_capture_that_never_consents_is_all_before():
    flows = [make_flow("GET", "https://api.demoshop.com/v1/config", timestamp=T0 - 60),
             umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app())} == {1}


def test_not_applicable_without_consent_moment():
    flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
    assert not flow_findings("DH009", flows, app=demo_app("name: Demo\nfirst_party: [demoshop.com]\n"))
    assert not flow_findings("DH009", flows)


def test_consent_glob_with_wildcard_host():
    yaml_text = ('name: Demo\nfirst_party: [demoshop.com]\nconsent:\n'
                 '  url: "https://*.demoshop.com/v1/privacy/agree*"\n')
    flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 10),
             make_flow("POST", "https://passport.demoshop.com/v1/privacy/agree", timestamp=T0),
             umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 10)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app(yaml_text))} == {0}


def test_dh009_does_not_grow_with_repeats():
    one = flow_findings("DH009", [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)], app=demo_app())
    many = flow_findings("DH009", [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30 + i) for i in range(4)], app=demo_app())
    assert one and len(many) == len(one)


def test_sdk_contacted_before_consent_without_data():
    flows = [make_flow("GET", "https://ulogs.umeng.com/unify_logs", timestamp=T0 - 10), consent_flow(T0)]
    assert {f.location.flow for f in flow_findings("DH009", flows, app=demo_app())} == {0}


def test_unknown_cdn_and_first_party_session_before_consent_are_fine():
    flows = [make_flow("GET", "https://img.some-cdn-vendor.cn/imgextra/i1/splash.jpg", timestamp=T0 - 20),
             make_flow("GET", "https://api.demoshop.com/v1/config", timestamp=T0 - 10, headers={
                 "Authorization": f"Bearer {JWT}", "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E"}),
             consent_flow(T0)]
    assert not flow_findings("DH009", flows, app=demo_app())


def test_dh009_sdk_and_data_before_consent_fire_and_after_consent_do_not():
    flows = [demo_config(T0), umeng_log(T0 + 1), pangle_ad(T0 + 2), consent_flow(T0 + 3), umeng_log(T0 + 4), pangle_ad(T0 + 5)]
    findings = flow_findings("DH009", flows, app=demo_app())
    assert all(f.location.flow in (1, 2) for f in findings)
    sdk_findings = {f.evidence.details.get("sdk") for f in findings if f.evidence.data_type is None}
    assert len(sdk_findings) == 2
    assert {"android_id", "advertising_id"} <= {f.evidence.data_type for f in findings}


def test_dh009_first_party_traffic_without_personal_data_before_consent_is_silent():
    flows = [demo_config(T0), make_flow("GET", "https://img.demoshop-cdn.net/banner.jpg", timestamp=T0 + 1), consent_flow(T0 + 2)]
    assert flow_findings("DH009", flows, app=demo_app()) == []


def test_dh009_consent_time():
    app = app_from_yaml("consent:\n  time: '2025-11-24T16:00:00+00:00'\n")
    moment = app.consent.time
    flows = [umeng_log(moment - 10), umeng_log(moment + 10)]
    findings = flow_findings("DH009", flows, app=app)
    assert {f.location.flow for f in findings} == {0}


def test_dh009_not_applicable_without_consent_moment():
    session = InputScan(settings_for("DH009", app=app_from_yaml("name: x\n")), Input(path="x", kind="flows"))
    [outcome] = session.outcomes()
    assert outcome.status is Status.NOT_APPLICABLE and "consent" in outcome.reason
