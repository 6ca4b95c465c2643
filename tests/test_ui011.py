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
    silent,
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


def test_ui011_help_page_with_masked_numbers_is_silent():
    html = zh("""
<div class="help">
  <h2>为什么我的手机号显示为 138****5678？</h2>
  <p>为保护您的隐私，页面中的手机号、身份证号（如 110101********1234）和银行卡号（**** **** **** 1234、6222 **** **** 3446）均做脱敏显示。</p>
  <p>手机号格式示例：13800138000。身份证号示例：11010519491231002X。</p>
</div>
""", title="帮助中心")
    silent(run_page("UI011", html, url="https://help.example-shop.cn/faq/privacy"))


def test_ui011_script_hidden_and_hidden_field_values_are_silent():
    html = zh(f"""
<div id="app"></div>
<script>window.__INITIAL_STATE__ = {{"user": {{"mobile": "13912345678", "idCard": "{ID_A}"}}}};</script>
<input type="hidden" name="mobile" value="13912345678">
<div class="debug" style="display:none">13912345678</div>
<template id="tpl"><p>{ID_B}</p></template>
""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/user"))


def test_ui011_site_hotline_and_footer_contact_are_silent():
    html = zh("""
<main><h1>联系我们</h1></main>
<div class="contact-box"><p>客服热线：<a href="tel:4008208820">400-820-8820</a></p><p>销售电话：13912345678</p></div>
<footer><address>北京市朝阳区建国路88号 联系人：王经理 15012345678</address><p>商务合作：<a href="tel:18600001111">186 0000 1111</a></p></footer>
""", title="联系我们")
    silent(run_page("UI011", html, url="https://www.example-company.cn/contact"))


def test_ui011_order_and_tracking_numbers_are_silent():
    html = zh("""
<ul class="orders">
  <li>订单号：202405201234567890</li>
  <li>物流单号：SF1234567890123</li>
  <li>交易流水号：4200001234202405201234567890</li>
  <li>商品编码：6901234567892</li>
  <li>价格：¥13812.00</li>
</ul>
""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/orders"))


@pytest.mark.parametrize("shown", ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678"])
def test_ui011_phone_written_with_separators(shown):
    html = zh(f'<div class="addr"><p>收货人：李四</p><p id="tel">{shown}</p><p>深圳市南山区</p></div>')
    run = run_page("UI011", html, url="https://m.example-shop.cn/order/1")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#tel")


def test_ui011_partially_masked_and_placeholder_values_are_silent():
    html = zh("""
<p>手机：138****5678 / 1381234**** / 138 **** 5678</p>
<p>身份证：4403**********4510</p>
<input type="tel" placeholder="请输入手机号，如13800138000">
<p>银行卡尾号 3446</p>""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/me"))


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


def test_ui011_corporate_registration_numbers_are_silent():
    html = zh("""
<footer>
  <p>统一社会信用代码：91110108551385082Q</p>
  <p>营业执照注册号：110108012345678</p>
  <p>京ICP备12345678号-1 京公网安备11010802012345号</p>
  <p>增值电信业务经营许可证：京B2-20190001</p>
</footer>
<div class="stats">累计用户 138,123,456,78 人 · 订单 1716182400000</div>""")
    silent(run_page("UI011", html, url="https://www.example-corp.cn/"))


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


def test_ui011_complainant_phone_on_a_complaints_list():
    html = zh("""
<ul class="complaint-list">
  <li class="item"><p class="title">商家拒不退款</p><p id="c1">投诉人：王女士 13812345678</p><p>投诉对象：某某电商</p></li>
</ul>""", title="投诉列表")
    run = run_page("UI011", html, url="https://www.example-complaints.cn/list")
    assert_at(run.page, one(run, "UI011"), css="#c1")


def test_ui011_vant_contact_card_on_checkout():
    html = zh("""
<div class="van-cell van-cell--center van-cell--borderless van-contact-card van-contact-card--edit" role="button" tabindex="0">
  <div class="van-cell__value van-cell__value--alone van-contact-card__value">
    <div>姓名：张三</div><div id="cc-tel">电话：13912345678</div>
  </div>
</div>
<div class="van-submit-bar"><button class="van-button van-button--danger van-submit-bar__button">提交订单</button></div>""",
              title="确认订单")
    run = run_page("UI011", html, url="https://m.example-shop.cn/checkout")
    assert_at(run.page, one(run, "UI011"), css="#cc-tel")


def test_ui011_home_service_order_details():
    html = zh("""
<div class="order-page">
  <div class="service-info"><h3>保洁服务 · 3小时</h3><p id="svc-contact">联系人：李四 15012345678</p><p>服务地址：北京市朝阳区望京街道</p></div>
</div>""", title="订单详情")
    run = run_page("UI011", html, url="https://m.example-daojia.cn/order/77")
    assert_at(run.page, one(run, "UI011"), css="#svc-contact")
