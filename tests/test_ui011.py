"""UI011 personal-data-exposed-in-page: the fixture table, then the rules one at a time."""
from __future__ import annotations

import gzip
import json

import pytest
from appaudit.scanner.page import Page
from appaudit.scanner.report_document import finding_document

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import (
    assert_at,
    dump,
    flow_findings,
    located,
    make_flow,
    node,
    one,
    page_findings,
    run_dump,
    run_page,
    status_bar_and_title,
    zh,
)

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

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


ID_A = "440304199003074510"


ID_B = "320106198808161232"


CARD = "6222020200112233446"  # ICBC, Luhn-valid


def test_ui011_order_page_shows_full_mobile_number():
    html = zh("""
<div class="order-detail">
  <div class="addr-card">
    <p class="name">收货人：李四</p>
    <p class="phone" id="consignee-phone">13812345678</p>
    <p class="addr">广东省深圳市南山区科技园南区</p>
  </div>
  <p>订单编号：202405201234567890</p>
</div>
""", title="订单详情")
    run = run_page("UI011", html, url="https://m.example-shop.cn/order/detail?id=88")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#consignee-phone")


def test_ui011_winners_list_one_finding_per_row():
    rows = "\n".join(f"<tr><td>用户{i}</td><td>{phone}</td><td>iPhone 15</td></tr>"
                     for i, phone in enumerate(["13912345678", "15012345678", "18600001111"], 1))
    html = zh(f"""<h2>中奖名单</h2>
<table class="table table-striped" id="winners"><thead><tr><th>昵称</th><th>手机号</th><th>奖品</th></tr></thead>
<tbody>
{rows}
</tbody></table>""", title="中奖名单")
    run = run_page("UI011", html, url="https://act.example-shop.cn/lottery/winners")
    found = run.of("UI011")
    assert len(found) == 3, run.describe()
    elements = {id(located(run.page, f)) for f in found}
    assert len(elements) == 3
    assert all(f.evidence.data_type == "phone" for f in found)


def test_ui011_id_card_and_bank_card_on_profile_page():
    html = zh(f"""
<dl class="profile">
  <dt>真实姓名</dt><dd>王五</dd>
  <dt>身份证号</dt><dd id="idno">{ID_A}</dd>
  <dt>银行卡号</dt><dd id="cardno">{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}</dd>
</dl>
""", title="实名信息")
    run = run_page("UI011", html, url="https://www.example-pay.cn/account/realname")
    by_type = {f.evidence.data_type: f for f in run.of("UI011")}
    assert set(by_type) == {"id_card", "bank_card"}, run.describe()
    assert_at(run.page, by_type["id_card"], css="#idno")
    assert_at(run.page, by_type["bank_card"], css="#cardno")


def test_ui011_pre_filled_visible_text_field():
    html = zh(f"""
<form class="edit-profile">
  <label>手机号 <input type="tel" id="mobile" name="mobile" value="13912345678"></label>
  <label>身份证 <input type="text" id="idcard" name="idcard" value="{ID_B}"></label>
</form>
""")
    run = run_page("UI011", html, url="https://m.example-shop.cn/user/edit")
    by_type = {f.evidence.data_type: f for f in run.of("UI011")}
    assert set(by_type) == {"phone", "id_card"}, run.describe()
    assert_at(run.page, by_type["phone"], css="#mobile")
    assert_at(run.page, by_type["id_card"], css="#idcard")


def test_ui011_page_in_a_gzip_gbk_flow():
    html = zh("""<div class="user"><span class="label">绑定手机：</span><span id="bind-phone">15012345678</span></div>""",
              title="账号设置").replace('charset="utf-8"', 'charset="gbk"')
    body = gzip.compress(html.encode("gbk"))
    flow = make_flow("GET", "https://bbs.example-forum.cn/home.php?mod=spacecp&ac=profile",
                     response_headers=[("content-type", "text/html; charset=GBK"), ("content-encoding", "gzip")],
                     response_body=body)
    found = [f for f in flow_findings(("UI011",), [make_flow("GET", "https://bbs.example-forum.cn/favicon.ico"), flow])
             if f.check == "UI011"]
    assert len(found) == 1
    loc = found[0].location
    assert loc.flow == 1 and loc.url == "https://bbs.example-forum.cn/home.php?mod=spacecp&ac=profile"
    assert_at(Page(source=html, input="x", url=loc.url), found[0], css="#bind-phone")


def test_ui011_dump_order_detail_with_full_phone():
    xml = dump(
        status_bar_and_title("订单详情"),
        node((48, 300, 1032, 380), text="收货人：李四", rid="com.example.shop:id/tv_consignee", cls="android.widget.TextView",
             index=1),
        node((48, 390, 1032, 470), text="13812345678", rid="com.example.shop:id/tv_phone", cls="android.widget.TextView",
             index=2),
        node((48, 480, 1032, 560), text="广东省深圳市南山区科技园", rid="com.example.shop:id/tv_address",
             cls="android.widget.TextView", index=3),
    )
    run = run_dump("UI011", xml)
    assert_at(run.page, one(run, "UI011"), attrs={"resource-id": "com.example.shop:id/tv_phone"})


@pytest.mark.parametrize("shown", ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678"])
def test_ui011_phone_written_with_separators(shown):
    html = zh(f'<div class="addr"><p>收货人：李四</p><p id="tel">{shown}</p><p>深圳市南山区</p></div>')
    run = run_page("UI011", html, url="https://m.example-shop.cn/order/1")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#tel")


def test_ui011_dump_prefilled_edit_text():
    xml = dump(
        status_bar_and_title("实名认证"),
        node((48, 300, 1032, 420), text="王五", rid="com.example.shop:id/et_name", cls="android.widget.EditText",
             clickable=True, index=1),
        node((48, 440, 1032, 560), text=ID_A, rid="com.example.shop:id/et_id_card", cls="android.widget.EditText",
             clickable=True, index=2),
    )
    run = run_dump("UI011", xml)
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "id_card"
    assert_at(run.page, finding, attrs={"resource-id": "com.example.shop:id/et_id_card"})


def test_ui011_textarea_prefilled_with_address_and_phone():
    html = zh('<form><label>收货信息</label><textarea id="addr" name="address">李四 13812345678 广东省深圳市南山区科技园南区</textarea></form>')
    run = run_page("UI011", html, url="https://m.example-shop.cn/address/edit")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#addr")


def test_ui011_id_card_ending_in_x_and_invisible_copy():
    html = zh("""
<table class="table"><tr><th>姓名</th><th>证件号码</th></tr>
<tr><td>赵六</td><td id="id-x">33010619850612100X</td></tr></table>
<span style="visibility:hidden">13812345678</span>""")
    run = run_page("UI011", html, url="https://www.example-hotel.cn/checkin/list")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "id_card"
    assert_at(run.page, finding, css="#id-x")


