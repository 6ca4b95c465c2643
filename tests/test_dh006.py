"""DH006 unmasked-data-in-response."""
from tests.helpers import flow_findings, make_flow

ID_CARD = "11010519491231002X"


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
