"""DH006 unmasked-data-in-response."""
import pytest
from appaudit.scanner.model import Severity

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import (
    CARD_UNIONPAY,
    ID_CARD,
    ID_CARD_2,
    PASSPORT,
    PHONE,
    PHONE_2,
    PHONE_3,
    by_type,
    flow_findings,
    make_flow,
    types,
)


@pytest.mark.parametrize("case", flow_cases("dh006"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH006")


def dh006(*flows):
    return flow_findings("DH006", flows)


def test_full_id_card_in_response_fires():
    flow = make_flow("GET", "https://api.shop.example.com/v1/user/profile",
                     response_json={"data": {"name": "李雷", "id_card": ID_CARD, "card_no": "6222021234567890128"}})
    found = sorted((f.evidence.data_type, f.location.field) for f in dh006(flow))
    assert found == [("bank_card", "data.card_no"), ("id_card", "data.id_card")]


def test_many_phone_numbers_of_other_people_fire_once():
    users = [{"nick": f"u{i}", "phone": f"1391234567{i}"} for i in range(5)]
    flow = make_flow("GET", "https://api.shop.example.com/v1/group/members", response_json={"members": users})
    [finding] = dh006(flow)
    assert finding.evidence.data_type == "phone" and finding.evidence.details["count"] == 5


def test_negatives():
    masked = make_flow("GET", "https://api.shop.example.com/v1/user/profile",
                       response_json={"id_card": "110105********002X", "card_no": "6222 **** **** 0128", "phone": "139****5678"})
    own_phone = make_flow("GET", "https://api.shop.example.com/v1/user/profile", response_json={"phone": "13912345678"})
    shops = make_flow("GET", "https://api.shop.example.com/v1/stores", response_json={
        "stores": [{"name": f"门店{i}", "tel": f"010-6512345{i}", "mobile": f"1391234567{i}"} for i in range(5)]})
    fixed_lines = make_flow("GET", "https://api.shop.example.com/v1/hotline",
                            response_json={"lines": [{"tel": f"021-6432100{i}"} for i in range(5)]})
    echo = make_flow("POST", "https://api.shop.example.com/v1/realname", json={"id_card": ID_CARD},
                     response_json={"ok": True, "id_card": ID_CARD})
    request_only = make_flow("POST", "https://api.shop.example.com/v1/realname", json={"id_card": ID_CARD})
    assert dh006(masked, own_phone, shops, fixed_lines, echo, request_only) == []


def test_full_id_card_in_profile_response():
    flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname",
                     response_json={"code": 0, "data": {"realName": "张三", "idCard": ID_CARD, "verified": True}})
    found = by_type(flow_findings("DH006", flow), "id_card")
    assert found and found[0].location.part == "response.body"


def test_full_bank_card_in_response():
    flow = make_flow("GET", "https://pay.demoshop.com/v1/cards",
                     response_json={"cards": [{"bank": "中国农业银行", "cardNo": CARD_UNIONPAY, "type": "DEBIT"}]})
    assert "bank_card" in types(flow_findings("DH006", flow))


def test_passport_in_booking_response():
    flow = make_flow("GET", "https://api.trip-demo.com/v1/passengers",
                     response_json={"passengers": [{"name": "ZHANG/SAN", "passportNo": PASSPORT, "nationality": "CN"}]})
    assert "passport" in types(flow_findings("DH006", flow))


def test_other_peoples_phones():
    flow = make_flow("GET", "https://api.demoshop.com/v1/group/1024/members", response_json={"members": [
        {"nick": "小明", "mobile": PHONE}, {"nick": "小红", "mobile": PHONE_2}, {"nick": "小刚", "mobile": PHONE_3}]})
    assert "phone" in types(flow_findings("DH006", flow))


def test_masked_response_is_fine():
    flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname", response_json={
        "realName": "张*", "idCard": "110105********002X", "cards": [{"cardNo": "6228 **** **** 8903"}]})
    assert not flow_findings("DH006", flow)


def test_echo_of_submitted_value_is_fine():
    flow = make_flow("POST", "https://api.demoshop.com/v1/realname/verify",
                     json={"realName": "张三", "idCard": ID_CARD},
                     response_json={"code": 0, "data": {"idCard": ID_CARD, "result": "一致"}})
    assert not flow_findings("DH006", flow)


def test_shop_contacts_are_fine():
    flow = make_flow("GET", "https://api.demoshop.com/v1/shops/nearby", response_json={"shops": [
        {"shopName": "小明生鲜超市", "contactPhone": PHONE}, {"shopName": "红红水果店", "contactPhone": PHONE_2},
        {"shopName": "刚子烧烤", "contactPhone": PHONE_3}]})
    assert not flow_findings("DH006", flow)


def test_own_phone_alone_is_fine():
    flow = make_flow("GET", "https://api.demoshop.com/v1/user/profile", response_json={"nickname": "小明", "mobile": PHONE})
    assert not flow_findings("DH006", flow)


def test_id_card_inside_message_text():
    flow = make_flow("GET", "https://api.demoshop.com/v1/realname/status",
                     response_json={"code": 0, "msg": f"您的身份证号{ID_CARD}已通过实名认证"})
    assert "id_card" in types(flow_findings("DH006", flow))


def test_several_peoples_emails():
    flow = make_flow("GET", "https://api.example.com/v1/project/7/members", response_json={"members": [
        {"name": "Li Si", "email": "li.si@example.com.cn"}, {"name": "Wang Wu", "email": "wang.wu@163.com"},
        {"name": "Zhao Liu", "email": "zhao.liu@qq.com"}]})
    assert "email" in types(flow_findings("DH006", flow))


def test_echo_of_query_value():
    flow = make_flow("GET", f"https://api.demoshop.com/v1/realname/check?idCard={ID_CARD}",
                     response_json={"idCard": ID_CARD, "match": True})
    assert not flow_findings("DH006", flow)


def test_severity_high():
    flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname", response_json={"idCard": ID_CARD_2})
    found = flow_findings("DH006", flow)
    assert found and found[0].severity == Severity.HIGH


def test_same_persons_phone_repeated_in_order_list():
    flow = make_flow("GET", "https://api.demoshop.com/v1/orders", response_json={"orders": [
        {"orderNo": f"2024112500{i}", "receiver": "张三", "receiverPhone": PHONE} for i in range(3)]})
    assert not flow_findings("DH006", flow)
