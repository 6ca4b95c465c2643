"""UI011 personal-data-exposed-in-page: the fixture table, then the rules one at a time."""
from __future__ import annotations

import json

import pytest

from appaudit.scanner.report_document import finding_document
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui011")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI011")


def test_the_report_masks_the_value_the_evidence_carries_raw():
    page = '<p id="p">身份证号：110101199003074514</p>'
    [finding] = page_findings("UI011", page, url="https://m.example.cn/me")
    assert (finding.evidence.data_type, finding.evidence.value) == ("id_card", "110101199003074514")
    document = json.dumps(finding_document(finding, reveal=False), ensure_ascii=False)
    assert "110101199003074514" not in document and finding.location.selector == "#p"


def test_one_finding_per_element_and_data_type():
    page = "<p>13912345678、15800001234 和 18611112222 均已中奖，身份证 110101199003074514</p>"
    found = page_findings("UI011", page, url="https://act.example.cn/winners")
    assert sorted((f.evidence.data_type, f.evidence.details.get("count")) for f in found) == \
        [("id_card", None), ("phone", 3)]


def test_a_service_label_excuses_phone_numbers_only():
    page = "<p>客服 13912345678</p><p>客服 110101199003074514</p>"
    [finding] = page_findings("UI011", page, url="https://www.example.cn/help")
    assert finding.evidence.data_type == "id_card"


@pytest.mark.parametrize("number, fires", [("+44 7911 123456", True), ("+44 20 7946 0958", False)])
def test_international_numbers_count_only_when_they_are_mobiles(number, fires):
    page = f"<ul><li>Winner: Jane Doe, {number}</li></ul>"
    assert bool(page_findings("UI011", page, url="https://www.example.com/winners")) is fires


@pytest.mark.parametrize("label, fires", [("投诉电话：", False), ("客服人员：张经理 ", False), ("投诉人：王女士 ", True),
                                          ("举报者：", True)])
def test_a_service_label_names_the_sites_line_not_the_person_who_complains(label, fires):
    assert bool(page_findings("UI011", f"<p>{label}13812345678</p>", url="https://www.example.cn/")) is fires


@pytest.mark.parametrize("name, fires", [("contact-box", False), ("contact-us", False), ("kefu", False),
                                         ("customer-service", False), ("van-contact-card", True),
                                         ("order-contact", True), ("service-info", True)])
def test_a_contact_box_is_one_named_for_contacting_the_site(name, fires):
    page = f'<div class="{name}"><p>电话：13812345678</p></div>'
    assert bool(page_findings("UI011", page, url="https://www.example.cn/")) is fires
