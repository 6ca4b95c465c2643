"""DH010 third-party-sdk-contacted: positives and hard negatives."""
from __future__ import annotations

import pytest
from appaudit.scanner.model import Severity

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import T0, demo_app, demo_config, flow_findings, make_flow, pangle_ad, umeng_log


@pytest.mark.parametrize("case", flow_cases("dh010"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH010")


SDK_ENDPOINTS = [
    "https://ulogs.umeng.com/unify_logs",
    "https://stats.jpush.cn/v3/report",
    "https://android.bugly.qq.com/rqd/async?aid=1",
    "https://mi.gdt.qq.com/gdt_mview.fcg?posid=123",
    "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
    "https://hmma.baidu.com/app.gif",
    "https://app-measurement.com/a",
    "https://launches.appsflyersdk.com/api/v6.9/androidevent?app_id=com.demoshop",
    "https://app.adjust.com/session",
    "https://o450123.ingest.sentry.io/api/5512345/envelope/",
    "https://graph.facebook.com/v17.0/1234567890/activities",
    "https://restapi.amap.com/v3/geocode/regeo",
    "https://api.geetest.com/gettype.php?gt=019924a82c70bb123aae90d483087f94",
    "https://apis.map.qq.com/ws/geocoder/v1/",
]


@pytest.mark.parametrize("url", SDK_ENDPOINTS)
def test_known_sdk_endpoint(url):
    found = flow_findings("DH010", make_flow("POST", url, body=b"\x1f\x8b"))
    assert len(found) == 1 and found[0].severity == Severity.INFO


def test_one_per_sdk_with_count():
    flows = [make_flow("GET", "https://www.demoshop.com/")] + [
        make_flow("POST", "https://ulogs.umeng.com/unify_logs", timestamp=T0 + i) for i in range(1, 4)]
    found = flow_findings("DH010", flows)
    assert len(found) == 1
    assert found[0].location.flow == 1
    assert "3" in found[0].message


def test_not_an_sdk():
    flows = [make_flow("GET", "https://www.demoshop.com/"), make_flow("GET", "https://notbugly.qq.com/x"),
             make_flow("GET", "https://umeng.com.demoshop.cn/x")]
    assert not flow_findings("DH010", flows)


def test_dh010_names_category():
    found = flow_findings("DH010", make_flow("POST", "https://ulogs.umeng.com/unify_logs"))
    assert found and "analytics" in (found[0].title + found[0].message).lower()


def test_dh010_sdk_from_app_file():
    yaml_text = ("name: Demo\nfirst_party: [demoshop.com]\nsdks:\n"
                 "  - id: acme-push\n    name: Acme Push\n    vendor: Acme\n    category: push\n"
                 "    domains: [push.acme-cloud.cn]\n")
    found = flow_findings("DH010", make_flow("POST", "https://gw.push.acme-cloud.cn/v2/register"), app=demo_app(yaml_text))
    assert len(found) == 1 and "Acme Push" in (found[0].title + found[0].message)


@pytest.mark.parametrize("url", [
    "https://sdk.open.phone.igexin.com/api.php",
    "https://fp-it.fengkongcloud.com/deviceprofile/v4",
    "https://fp.tongdun.net/android3_8/profile.json",
    "https://mobads.baidu.com/cpro/ui/mads.php",
    "https://mobilegw.alipay.com/mgw.htm",
    "https://gateway.95516.com/gateway/api/appTransReq.do",
    "https://graph.qq.com/user/get_user_info",
    "https://api.growingio.com/v3/projects/91eaf9b283361032/collect",
    "https://register.xmpush.xiaomi.com/pass/v2/register",
])
def test_more_chinese_sdks(url):
    assert len(flow_findings("DH010", make_flow("POST", url))) == 1


def test_dh010_one_info_finding_per_sdk_with_counts():
    flows = [demo_config(T0), umeng_log(T0 + 1), pangle_ad(T0 + 2), umeng_log(T0 + 3), umeng_log(T0 + 4)]
    findings = flow_findings("DH010", flows, app=demo_app())
    counts = {f.evidence.details["sdk"]: (f.evidence.details["flows"], f.location.flow) for f in findings}
    assert sorted(counts.values()) == [(1, 2), (3, 1)]
    assert all(f.severity.label == "info" for f in findings)


def test_dh010_first_party_and_unknown_hosts_are_not_sdks():
    flows = [demo_config(T0), make_flow("GET", "https://cdn.jsdelivr.example/x.js")]
    assert flow_findings("DH010", flows, app=demo_app()) == []
