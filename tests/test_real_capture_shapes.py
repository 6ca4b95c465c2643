"""What real captures written by others look like, and what must (not) be reported on
them: third parties' identifier cookies, numbers that only look like personal data,
odd header values, navigation in HARs without Sec-Fetch headers, loose content types,
and statuses of checks that could not look. Each behaviour has a case that fires and a
hard negative."""
import json

from appaudit.scanner.engine import InputScan, ScanSettings, scan_file
from appaudit.scanner.loading import PAGEREF, Input
from appaudit.scanner.model import Status
from appaudit.scanner.profile_loader import Profile

from tests.helpers import flow_findings, har_of, make_flow

CARD = "4111111111111111"  # Luhn-valid Visa test number
HTML = "<!DOCTYPE html><html><head><title>News</title></head><body><p>Story</p></body></html>"


def page_flow(url, *, referer=None, pageref=None, set_cookie=None, accept="text/html,*/*"):
    headers = {"Accept": accept, **({"Referer": referer} if referer else {})}
    response_headers = {"Content-Type": "text/html; charset=utf-8", **({"Set-Cookie": set_cookie} if set_cookie else {})}
    flow = make_flow("GET", url, headers=headers, response_headers=response_headers, response_body=HTML)
    if pageref:
        flow.metadata[PAGEREF] = pageref
    return flow


def pixel(url, set_cookie, referer="https://www.news-site.com/"):
    return make_flow("GET", url, headers={"Referer": referer},
                     response_headers={"Content-Type": "image/gif", "Set-Cookie": set_cookie}, response_body=b"GIF89a")


SESSION = "PHPSESSID=k8s7d6f5g4h3j2k1l0z9x8c7v6b5n4m3; path=/"
AD_ID = "uuid=e9f1c2d3a4b5968778695a4b3c2d1e0f; path=/; expires=Fri, 01 Jan 2027 00:00:00 GMT"


# --- 1. DH005: only the first party's cookies are session cookies -----------------------

def test_site_session_cookie_is_reported_but_an_ad_exchange_id_cookie_is_not():
    flows = [page_flow("https://www.news-site.com/", set_cookie=SESSION),
             pixel("https://sync.adexchange-demo.net/sync?ssp=1", AD_ID),
             pixel("https://sync.adexchange-demo.net/match", "visitor=Vk3QpR8sT2uW6yZ1aB4cD7eF0gH3jK; path=/")]
    found = flow_findings("DH005", flows)
    assert [(f.location.flow, f.evidence.details["cookie"]) for f in found] == [(0, "PHPSESSID")]


def test_without_a_known_first_party_unknown_hosts_are_still_judged():
    # An app's API capture with no page and no app file: its own session cookie counts.
    flow = make_flow("POST", "https://api.shop-demo.cn/login", response_headers={"Set-Cookie": SESSION})
    assert [f.evidence.details["cookie"] for f in flow_findings("DH005", [flow])] == ["PHPSESSID"]


def test_a_third_party_session_cookie_over_http_is_not_a_user_credential():
    flows = [page_flow("http://www.news-site.com/", set_cookie=SESSION),
             pixel("http://tracker-demo.net/img.aspx", "trackerSession=pv3k4m5n6b7v8c9x0z1a2s3d4f; path=/")]
    found = flow_findings("DH004", flows)
    assert [(f.location.flow, f.location.field) for f in found] == [(0, "set-cookie.PHPSESSID")]


# --- 2. numbers that look like personal data, names that a shape contradicts ------------

def test_luhn_valid_digits_in_an_etag_or_cache_buster_are_not_a_bank_card():
    flow = make_flow("GET", f"http://ads.adserver-demo.com/ad?ord={CARD}&cb={CARD}&_={CARD}&t={CARD}",
                     response_headers={"ETag": 'W/"414-1541038722000"', "Last-Modified": "Tue, 23 Oct 2018 13:24:28 GMT",
                                       "X-Trace": f"trace {CARD}"})
    flow.response.headers["ETag"] = 'W/"4111-111111111111"'
    assert flow_findings(("DH001", "DH002"), [flow]) == []


def test_a_card_number_in_a_field_that_names_it_is_still_reported():
    flow = make_flow("GET", f"http://pay.shop-demo.com/pay?card_no={CARD}&note=4111-1111-1111-1111")
    found = flow_findings("DH002", [flow])
    assert {(f.location.field, f.evidence.data_type) for f in found} == {("card_no", "bank_card"), ("note", "bank_card")}


def test_an_ad_slot_named_sid_is_not_a_session_credential_but_a_random_sid_is():
    slot = make_flow("GET", "http://ads.adserver-demo.com/ad?sid=homepage_top_728x90&pos=atf")
    session = make_flow("GET", "http://www.shop-demo.com/cart?sid=9f8e7d6c5b4a3f2e1d0c")
    assert flow_findings("DH004", [slot]) == []
    assert [f.location.field for f in flow_findings("DH004", [session])] == ["sid"]


def test_a_number_in_a_static_file_name_is_not_a_phone_but_one_in_a_path_segment_is():
    photo = make_flow("GET", "http://upload.media-demo.org/thumb/Celebrating_58242_%2818549406403%29.jpg")
    api = make_flow("GET", "http://api.shop-demo.cn/user/18549406403/orders")
    assert flow_findings("DH002", [photo]) == []
    assert [f.evidence.data_type for f in flow_findings("DH002", [api])] == ["phone"]


# --- 3. one unreadable value skips that field only ---------------------------------------

def test_a_set_cookie_without_a_value_does_not_hide_the_rest_of_the_flow():
    flow = make_flow("GET", "http://api.shop-demo.cn/profile?password=Zs%40123456",
                     response_headers=[("Set-Cookie", "[88 bytes were stripped]")])
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    found = session.flow(flow, 0)
    assert session.input.problems == []
    assert [(f.check, f.evidence.data_type) for f in found if f.check == "DH004"] == [("DH004", "password")]


# --- 5. navigation: ad iframes are not the first party -----------------------------------

def test_an_ad_iframe_document_in_the_same_har_page_is_not_first_party():
    flows = [page_flow("https://www.news-site.com/", pageref="page_1"),
             page_flow("https://ads.adexchange-demo.net/frame.html", referer="https://www.news-site.com/", pageref="page_1"),
             page_flow("https://www.other-site.org/", pageref="page_2")]
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    assert session.sharing.page_domains == ["news-site.com", "other-site.org"]


def test_without_pages_only_the_first_document_and_unreferred_ones_are_pages():
    flows = [page_flow("http://www.news-site.com/"),
             page_flow("http://ads.adexchange-demo.net/frame.html", referer="http://www.news-site.com/"),
             page_flow("http://www.typed-site.org/", accept="image/gif, image/jpeg, */*")]
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    assert session.sharing.page_domains == ["news-site.com", "typed-site.org"]


def test_sec_fetch_dest_decides_when_the_browser_sends_it():
    flows = [page_flow("https://www.news-site.com/"), page_flow("https://ads.adexchange-demo.net/frame.html")]
    flows[0].request.headers["Sec-Fetch-Dest"] = "document"
    flows[1].request.headers["Sec-Fetch-Dest"] = "iframe"
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    assert session.sharing.page_domains == ["news-site.com"]


# --- 6. content types that do not parse: sniff the body ----------------------------------

def test_html_declared_with_a_comma_is_a_page():
    flow = make_flow("GET", "https://www.news-site.com/", headers={"Accept": "text/html"},
                     response_headers={"Content-Type": "text/html,charset=utf-8"}, response_body=HTML)
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    session.flow(flow, 0)
    assert session.sharing.page_domains == ["news-site.com"]


def test_json_sent_as_multipart_is_decoded_but_real_multipart_still_is_too():
    mislabelled = make_flow("POST", "http://api.shop-demo.cn/v1/profile", body=json.dumps({"mobile": "13912345678"}),
                            headers={"Content-Type": "multipart/form-data; boundary=----x"})
    multipart = make_flow("POST", "http://api.shop-demo.cn/v1/profile",
                          body="------x\r\nContent-Disposition: form-data; name=\"mobile\"\r\n\r\n13912345678\r\n------x--\r\n",
                          headers={"Content-Type": "multipart/form-data; boundary=----x"})
    for flow in (mislabelled, multipart):
        assert [(f.location.field, f.evidence.data_type) for f in flow_findings("DH001", [flow])] == [("mobile", "phone")]


# --- 9. statuses that claim no more than was checked -------------------------------------


def statuses(result):
    return {o.check: (o.status, o.reason) for o in result.outcomes}


def test_dh003_is_not_applicable_on_a_har_and_judged_on_mitmproxy_flows(tmp_path):
    (tmp_path / "x.har").write_text(json.dumps(har_of("https://www.news-site.com/")))
    status, reason = statuses(scan_file(str(tmp_path / "x.har"), "har", ScanSettings(profile=Profile.default())))["DH003"]
    assert status is Status.NOT_APPLICABLE and "no TLS version" in reason
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.mitm", kind="flows"))
    session.flow(make_flow("GET", "https://www.news-site.com/"), 0)
    assert {o.check: o.status for o in session.outcomes()}["DH003"] is Status.PASS


def test_traffic_checks_are_not_applicable_on_a_saved_page(tmp_path):
    (tmp_path / "p.html").write_text(HTML)
    found = statuses(scan_file(str(tmp_path / "p.html"), "html", ScanSettings(profile=Profile.default())))
    assert all(found[c][0] is Status.NOT_APPLICABLE for c in found if c.startswith("DH"))
    assert all("no network traffic" in found[c][1] for c in ("DH001", "DH003", "DH005", "DH010"))
    assert not any(found[c][0] is Status.NOT_APPLICABLE for c in ("UI003", "UI006"))


# --- contacts written into static code ----------------------------------------------------

def test_an_authors_address_in_a_static_script_is_not_data_but_one_in_an_api_response_is():
    script = make_flow("GET", "http://www.viewer-demo.com/scripts/viewer.js",
                       response_headers={"Content-Type": "application/javascript"},
                       response_body='define("about",function(){return "<i>Author: Jan Demo, jan.demo@gmail.com</i>"})')
    api = make_flow("GET", "http://www.viewer-demo.com/api/profile", response_headers={"Content-Type": "text/plain"},
                    response_body="owner: jan.demo@gmail.com")
    assert flow_findings("DH001", [script]) == []
    assert [f.evidence.data_type for f in flow_findings("DH001", [api])] == ["email"]


def test_a_capture_started_after_the_navigation_takes_its_page_from_the_first_referer():
    # Fiddler captures without pages: the navigated page is not in the file, its
    # subresources are, and an ad frame document they load is not a page.
    flows = [make_flow("GET", "http://parked-demo.com/site.js", headers={"Referer": "http://parked-demo.com/ID=1"}),
             make_flow("GET", "http://cdn.adserver-demo.net/ad.js", headers={"Referer": "http://parked-demo.com/ID=1"}),
             page_flow("http://frame.adserver-demo.net/dest.html", referer="http://parked-demo.com/ID=1"),
             page_flow("http://www.typed-site.org/")]
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    assert session.sharing.page_domains == ["parked-demo.com", "typed-site.org"]


def test_another_partys_session_id_in_a_url_is_not_the_users_but_a_token_is():
    page = page_flow("https://www.news-site.com/")
    beacon = make_flow("GET", "https://beacon.adexchange-demo.net/t?session_id=1b9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d")
    token = make_flow("GET", "https://api.social-demo.com/me?access_token=EAAB9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d")
    own = make_flow("GET", "https://www.news-site.com/account?session_id=1b9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d")
    found = flow_findings("DH002", [page, beacon, token, own])
    assert sorted((f.location.flow, f.location.field) for f in found) == [(2, "access_token"), (3, "session_id")]


def test_a_har_page_whose_own_document_is_missing_does_not_make_its_ad_frame_a_page():
    flows = [make_flow("GET", "https://www.news-site.com/app.js", headers={"Referer": "https://www.news-site.com/"}),
             page_flow("https://ads.adexchange-demo.net/frame.html", referer="https://www.news-site.com/", pageref="page_1"),
             page_flow("https://www.other-site.org/", referer="https://www.news-site.com/", pageref="page_2")]
    flows[0].metadata[PAGEREF] = "page_1"
    session = InputScan(ScanSettings(profile=Profile.default()), Input(path="t.har", kind="har"))
    for index, flow in enumerate(flows):
        session.flow(flow, index)
    assert session.sharing.page_domains == ["news-site.com", "other-site.org"]
