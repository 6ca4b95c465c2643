"""UI010 brand-impersonation: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from appaudit.checks.ui010_brand_impersonation import lookalike_reason
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from tests.fixtures.pages.cases import FIXTURE_APP, cases, check_case
from tests.helpers import app_from_yaml, page_findings, settings_for

CASES = cases("ui010")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI010")


PHISHING_TITLE = "<html><head><title>Demo Shop - Sign in</title></head><body><h1>Sign in</h1></body></html>"


def outcome_and_findings(source: str, url: str, *, profile_brands: list[dict] | None = None, app=None):
    profile = Profile(name="test", enabled=("UI010",), brands=profile_brands or [])
    session = InputScan(settings_for("UI010", profile=profile, app=app), Input(path="page.html", kind="html"))
    found = session.page(Page(source=source, input="page.html", url=url))
    [outcome] = session.outcomes()
    return outcome, found


def test_brands_may_come_from_the_profile():
    brands = [{"name": "Demo Shop", "domains": ("demoshop.com",), "aliases": ()}]
    _, [finding] = outcome_and_findings(PHISHING_TITLE, "https://login-center.example.top/", profile_brands=brands)
    assert finding.evidence.details["brand"] == "Demo Shop"
    assert finding.location.selector == "html > head > title"


def test_without_protected_brands_the_check_is_not_applicable():
    outcome, found = outcome_and_findings(PHISHING_TITLE, "https://login-center.example.top/")
    assert found == [] and outcome.status is Status.NOT_APPLICABLE and "brands" in outcome.reason


def test_pages_of_the_apps_own_first_party_domains_are_not_judged():
    app = app_from_yaml("first_party: [demoshop-cdn.net]\nbrands:\n  - name: Demo Shop\n    domains: [demoshop.com]\n")
    _, found = outcome_and_findings(PHISHING_TITLE, "https://static.demoshop-cdn.net/login", app=app)
    assert found == []


@pytest.mark.parametrize("host, reason", [
    ("dem0shop.com", "imitates demoshop.com"),
    ("xn--dmoshop-7gg.com", "imitates demoshop.com (it reads dеmoshop.com)"),
    ("demoshop.net", "imitates demoshop.com"),
    ("www.demoshop-sale.top", "carries the brand name “demoshop”"),
    ("demoshop.com.account-verify.top", "carries the brand name “demoshop”"),
    ("www.example-travel.com", None),
])
def test_lookalike_domains(host, reason):
    assert lookalike_reason(host, FIXTURE_APP.brands[0]) == reason


def test_on_a_lookalike_domain_a_mere_mention_is_enough():
    page = "<html><head><title>Demo Shop 周年庆 全场1折 限时抢购</title></head><body></body></html>"
    assert page_findings("UI010", page, url="https://www.example-sale.top/", app=FIXTURE_APP) == []
    [finding] = page_findings("UI010", page, url="https://www.demoshop-sale.top/", app=FIXTURE_APP)
    assert finding.evidence.details["lookalike"] == "carries the brand name “demoshop”"


def test_og_type_news_marks_an_article_and_without_it_the_headline_presents_the_brand():
    page = ('<html><head><meta property="og:type" content="{}"><title>支付宝：安全中心</title></head>'
            '<body><h1>支付宝：安全中心</h1></body></html>')
    assert page_findings("UI010", page.format("news"), url="https://www.example-portal.cn/a", app=FIXTURE_APP) == []
    [finding] = page_findings("UI010", page.format("website"), url="https://www.example-portal.cn/a", app=FIXTURE_APP)
    assert finding.evidence.details["brand"] == "Alipay"
