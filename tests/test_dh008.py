"""DH008 undeclared-data-to-third-party: positives and hard negatives."""
from __future__ import annotations

import hashlib

import pytest
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Severity, Status

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import (
    ANDROID_ID,
    DEMO_APP_YAML,
    T0,
    demo_app,
    flow_findings,
    make_flow,
    settings_for,
    types,
    umeng_flow,
    umeng_log,
)


@pytest.mark.parametrize("case", flow_cases("dh008"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH008")


def test_declared_party_gets_undeclared_location():
    flow = umeng_flow({"android_id": ANDROID_ID, "lat": "31.230416", "lng": "121.473701"})
    found = flow_findings("DH008", flow, app=demo_app())
    assert types(found) == {"location"} and found[0].severity == Severity.MEDIUM


def test_declared_party_gets_canary_phone_counts_as_phone():
    flow = umeng_flow({"android_id": ANDROID_ID, "uphone": hashlib.md5(b"13912345678").hexdigest()})
    found = flow_findings(["DH007", "DH008"], flow, app=demo_app())
    assert {f.check for f in found} == {"DH008"}


def test_canary_phone_declared_as_phone_is_fine():
    yaml_text = DEMO_APP_YAML.replace("data: [android_id, advertising_id]", "data: [android_id, advertising_id, phone]")
    flow = umeng_flow({"android_id": ANDROID_ID, "uphone": hashlib.md5(b"13912345678").hexdigest()})
    assert not flow_findings("DH008", flow, app=demo_app(yaml_text))


def test_amap_gets_location_only():
    flow = make_flow("GET", "https://restapi.amap.com/v3/geocode/regeo?key=0123456789abcdef0123456789abcdef&location=121.473701,31.230416")
    assert not flow_findings(["DH007", "DH008"], flow, app=demo_app())


def test_needs_app_file():
    assert not flow_findings("DH008", umeng_flow({"lat": "31.230416", "lng": "121.473701"}))


def test_dh008_declared_party_receiving_undeclared_type():
    lat_lng = umeng_log(T0, lat="39.908722", lng="116.397499")
    findings = flow_findings("DH008", [umeng_log(T0), lat_lng], app=demo_app())
    assert [(f.evidence.data_type, f.location.flow) for f in findings] == [("location", 1)]


def test_dh008_not_applicable_without_declared_parties():
    session = InputScan(settings_for("DH008"), Input(path="x", kind="flows"))
    [outcome] = session.outcomes()
    assert outcome.status is Status.NOT_APPLICABLE
