"""Party classification: registrable domains, the SDK catalogue, and the classifier
that DH007–DH010 use to tell the app's own hosts from declared, known and unknown
third parties."""
from __future__ import annotations

import socket

import pytest
import yaml

from appaudit.scanner import parties
from appaudit.scanner.parties import (
    CATALOGUE_PATH,
    CATEGORIES,
    DeclaredParty,
    PartyClassifier,
    SdkCatalogue,
    normalise_host,
    parse_sdk_entries,
    registrable_domain,
)
from appaudit.scanner.yamlfile import ConfigError, load_yaml


@pytest.fixture(scope="module")
def catalogue() -> SdkCatalogue:
    return SdkCatalogue.load()


def sdk_id(catalogue: SdkCatalogue, host: str) -> str | None:
    sdk = catalogue.match(host)
    return sdk.id if sdk else None


# --- registrable domains -----------------------------------------------------------

@pytest.mark.parametrize(("host", "expected"), [
    ("www.example.com", "example.com"),
    ("shop.demo.co.uk", "demo.co.uk"),          # two-label public suffix
    ("demo.co.uk", "demo.co.uk"),
    ("api.demo.com.cn", "demo.com.cn"),
    ("a.b.api.demo.com.cn", "demo.com.cn"),
    ("alice.github.io", "alice.github.io"),     # private suffix: each user owns a site
    ("cdn.alice.github.io", "alice.github.io"),
    ("bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com"),
    ("WWW.Example.COM", "example.com"),         # case
    ("www.example.com.", "example.com"),        # fully qualified, trailing dot
    ("api.example.com:8443", "example.com"),    # host with a port
    ("127.0.0.1", "127.0.0.1"),                 # IPs stand for themselves
    ("10.0.0.7:8080", "10.0.0.7"),
    ("::1", "::1"),
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("localhost", "localhost"),
    ("LOCALHOST.", "localhost"),
    ("github.io", "github.io"),                 # a bare public suffix stands for itself
    ("co.uk", "co.uk"),
    ("api.corp.internal", "corp.internal"),     # unknown suffix: the PSL default rule
    ("", ""),
])
def test_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


@pytest.mark.parametrize(("first", "second"), [
    ("alice.github.io", "bob.github.io"),
    ("demo.co.uk", "other.co.uk"),
    ("demo.com.cn", "demo.cn"),
    ("example.com", "example.com.cn"),
    ("192.168.0.1", "192.168.0.2"),
])
def test_different_owners_have_different_registrable_domains(first, second):
    assert registrable_domain(first) != registrable_domain(second)


def test_internationalised_names_compare_in_their_wire_form():
    assert registrable_domain("www.例子.中国") == registrable_domain("www.xn--fsqu00a.xn--fiqs8s")
    assert registrable_domain("www.例子.中国").isascii()


def test_normalise_host_keeps_what_it_cannot_parse():
    assert normalise_host("  Weird:Port ") == "weird:port"


# --- the catalogue ---------------------------------------------------------------

@pytest.mark.parametrize(("host", "expected"), [
    ("bugly.qq.com", "tencent-bugly"),
    ("android.bugly.qq.com", "tencent-bugly"),
    ("ANDROID.Bugly.QQ.com.", "tencent-bugly"),
    ("android.bugly.qq.com:443", "tencent-bugly"),
    ("app-measurement.com", "firebase-analytics"),
    ("region1.app-measurement.com", "firebase-analytics"),
    ("graph.facebook.com", "facebook-sdk"),
    ("hm.baidu.com", "baidu-tongji"),
    ("hmma.baidu.com", "baidu-mobstat"),
    ("alog.umeng.com", "umeng-analytics"),
    ("umengacs.m.taobao.com", "umeng-push"),
    ("mi.gdt.qq.com", "tencent-gdt"),
    ("api-access.pangolin-sdk-toutiao.com", "pangle"),
    ("open.e.kuaishou.com", "kuaishou-ads"),
    ("sdk.open.talk.igexin.com", "getui"),
    ("fp-it.fengkongcloud.com", "shumei"),
    ("fp.tongdun.net", "tongdun"),
    ("gcaptcha4.geetest.com", "geetest"),
    ("restapi.amap.com", "amap"),
    ("api.map.baidu.com", "baidu-map"),
    ("apis.map.qq.com", "tencent-lbs"),
    ("open.weixin.qq.com", "wechat-open"),
    ("api.mch.weixin.qq.com", "wechat-pay"),
    ("openapi.alipay.com", "alipay"),
    ("inapps.appsflyersdk.com", "appsflyer"),
    ("o123.ingest.sentry.io", "sentry"),
])
def test_match_known_endpoints(catalogue, host, expected):
    assert sdk_id(catalogue, host) == expected


@pytest.mark.parametrize("host", [
    # Vendors' first-party sites are not SDK endpoints.
    "qq.com", "www.qq.com", "im.qq.com", "weixin.qq.com", "mp.weixin.qq.com",
    "www.baidu.com", "baidu.com", "www.google.com", "google.com", "www.facebook.com",
    "m.facebook.com", "www.alibaba.com", "www.apple.com", "www.taobao.com", "www.163.com",
    # Suffix matching is by whole labels, never by substring.
    "notbugly.qq.com", "xbugly.qq.com", "fakegraph.facebook.com",
    "bugly.qq.com.evil.example", "graph.facebook.com.example.net", "umeng.com.cn",
    "app-measurement.co",
    # Ordinary hosts, IPs and local names.
    "example.com", "127.0.0.1", "localhost", "",
])
def test_no_match_for_first_party_products_and_look_alikes(catalogue, host):
    assert catalogue.match(host) is None


def test_most_specific_domain_wins(catalogue):
    # stats.g.doubleclick.net is Google Analytics; the rest of doubleclick.net is ads.
    assert sdk_id(catalogue, "stats.g.doubleclick.net") == "google-analytics"
    assert sdk_id(catalogue, "x.stats.g.doubleclick.net") == "google-analytics"
    assert sdk_id(catalogue, "googleads.g.doubleclick.net") == "admob"
    assert sdk_id(catalogue, "g.doubleclick.net") == "admob"


# --- catalogue sanity ------------------------------------------------------------

# Registrable domains that also carry the vendor's (or other companies') first-party
# products: listing one of them whole would label ordinary traffic as an SDK.
OVER_BROAD = {
    "google.com", "googleapis.com", "gstatic.com", "youtube.com", "qq.com", "tencent.com",
    "gtimg.cn", "gtimg.com", "qcloud.com", "weixin.qq.com", "baidu.com", "bdstatic.com",
    "alibaba.com", "taobao.com", "tmall.com", "alicdn.com", "aliyun.com", "aliyuncs.com",
    "m.taobao.com", "facebook.com", "facebook.net", "instagram.com", "apple.com",
    "icloud.com", "microsoft.com", "bing.com", "linkedin.com", "amazon.com",
    "amazonaws.com", "cloudflare.com", "163.com", "126.com", "sina.com.cn", "weibo.com",
    "weibo.cn", "bytedance.com", "snssdk.com", "toutiao.com", "douyin.com", "tiktok.com",
    "kuaishou.com", "xiaomi.com", "mi.com", "miui.com", "huawei.com", "hicloud.com",
    "dbankcloud.com", "honor.com", "oppomobile.com", "heytap.com", "vivo.com.cn",
    "meizu.com", "twitter.com", "x.com", "snapchat.com", "pinterest.com", "yandex.ru",
    "yandex.com", "unity3d.com", "unity.cn", "189.cn", "wostore.cn", "jd.com",
}

# Domains deliberately listed inside another SDK's domain: (specific, broader).
DELIBERATE_NESTING = {("stats.g.doubleclick.net", "doubleclick.net"),
                      # InMobi Choice, the consent platform, inside InMobi's ad domain.
                      ("cmp.inmobi.com", "inmobi.com")}


@pytest.fixture(scope="module")
def raw_entries() -> list[dict]:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def test_catalogue_size_and_ids(raw_entries, catalogue):
    ids = [entry["id"] for entry in raw_entries]
    assert len(ids) >= 80
    assert len(set(ids)) == len(ids)
    assert len(catalogue) == len(ids)
    assert {sdk.id for sdk in catalogue} == set(ids)


def test_every_entry_is_complete(catalogue):
    for sdk in catalogue:
        assert sdk.category in CATEGORIES, sdk.id
        assert sdk.name and sdk.vendor and sdk.source, sdk.id
        assert sdk.domains, sdk.id


def test_every_category_is_covered(catalogue):
    assert {sdk.category for sdk in catalogue} == set(CATEGORIES)


def test_entries_are_sorted_by_category_then_id(raw_entries):
    keys = [(CATEGORIES.index(entry["category"]), entry["id"]) for entry in raw_entries]
    assert keys == sorted(keys)


def test_domains_are_written_in_canonical_form(raw_entries):
    for entry in raw_entries:
        for domain in entry["domains"]:
            assert domain == normalise_host(domain), (entry["id"], domain)


def test_no_over_broad_domains(catalogue):
    for sdk in catalogue:
        assert not set(sdk.domains) & OVER_BROAD, sdk.id


def test_no_domain_is_claimed_twice_or_nested_by_accident(catalogue):
    owner = {domain: sdk.id for sdk in catalogue for domain in sdk.domains}
    for sdk in catalogue:
        for domain in sdk.domains:
            labels = domain.split(".")
            for start in range(1, len(labels)):
                parent = ".".join(labels[start:])
                if parent in owner:
                    assert owner[parent] != sdk.id, f"{sdk.id}: {domain} is redundant"
                    assert (domain, parent) in DELIBERATE_NESTING, (domain, parent)


def test_the_catalogue_covers_the_named_sdks(catalogue):
    """The SDKs the issue names, by a characteristic endpoint of each."""
    hosts = [
        "ulogs.umeng.com", "api.jpush.cn", "restapi.getui.com", "ios.bugly.qq.com",
        "sdk.e.qq.com", "pglstatp-toutiao.com", "open.e.kuaishou.com", "hmma.baidu.com",
        "mobads.baidu.com", "x.datasink.sensorsdata.cn", "t.growingio.com",
        "tdcv3.talkingdata.net", "cloudpush.aliyuncs.com", "h-adashx.ut.taobao.com",
        "push-api.cloud.huawei.com", "api.xmpush.xiaomi.com", "api.push.oppomobile.com",
        "api-push.vivo.com.cn", "push-api.cloud.honor.com", "fp-it.fengkongcloud.com",
        "fp.fraudmetrix.cn", "api.geetest.com", "apilocate.amap.com", "loc.map.baidu.com",
        "lbs.map.qq.com", "api.weixin.qq.com", "graph.qq.com", "api.weibo.com",
        "mclient.alipay.com", "gateway.95516.com", "fcm.googleapis.com",
        "www.google-analytics.com", "googleads.g.doubleclick.net", "graph.facebook.com",
        "launches.appsflyersdk.com", "app.adjust.com", "api2.branch.io", "api.mixpanel.com",
        "api2.amplitude.com", "api.segment.io", "sentry.io", "sdk.iad-01.braze.com",
        "api.onesignal.com", "auction.unityads.unity3d.com", "ms.applovin.com",
        "init.supersonicads.com", "api.vungle.com", "business-api.tiktok.com",
    ]
    assert [host for host in hosts if catalogue.match(host) is None] == []


def test_the_catalogue_knows_web_ad_tech_measurement_and_consent_platforms(catalogue):
    """Hosts every public tracker list names, seen on news sites: exchanges, DSPs, DMPs,
    measurement, A/B testing, feature flags and consent platforms."""
    expected = {
        "ssum.casalemedia.com": "advertising", "match.adsrvr.org": "advertising", "sync.mathtag.com": "advertising",
        "us-u.openx.net": "advertising", "x.bidswitch.net": "advertising", "image2.pubmatic.com": "advertising",
        "bcp.crwdcntrl.net": "advertising", "match.basebanner.com": "advertising", "ads-twitter.com": "advertising",
        "cdn.optimizely.com": "analytics", "app.launchdarkly.com": "analytics",
        "cdn.cookielaw.org": "consent_management", "consent.cookiebot.com": "consent_management",
        "cmp.inmobi.com": "consent_management",
    }
    assert {host: getattr(catalogue.match(host), "category", None) for host in expected} == expected
    # Whole first-party domains stay out; only the vendors' dedicated hosts are named.
    assert catalogue.match("www.google.com") is None and catalogue.match("www.inmobi.com").category == "advertising"


def test_the_gap_script_reports_what_a_public_list_has_and_the_catalogue_lacks(catalogue):
    from tests.maintenance.catalogue_gaps import gaps
    tds = {"trackers": {"adsrvr.org": {"owner": {"name": "The Trade Desk"}},
                        "pixel.newtracker-demo.com": {"owner": {"displayName": "Demo Inc"}}, "com": {}}}
    disconnect = {"categories": {"Advertising": [{"Demo Inc": {"https://demo.example/": ["newtracker-demo.com"]}},
                                                 {"The Trade Desk": {"https://thetradedesk.com/": ["adsrvr.org"]}}]}}
    assert gaps(tds, catalogue) == [("newtracker-demo.com", "Demo Inc")]
    assert gaps(disconnect, catalogue) == [("newtracker-demo.com", "Demo Inc")]
    with pytest.raises(ValueError):
        gaps({"something": "else"}, catalogue)


# --- user extension entries ------------------------------------------------------

def test_extra_entries_are_added_with_source_optional():
    catalogue = SdkCatalogue.load([{
        "id": "acme-analytics", "name": "Acme Analytics", "vendor": "Acme",
        "category": "analytics", "domains": ["*.collect.acme-analytics.example"],
    }])
    sdk = catalogue.match("eu.collect.acme-analytics.example")
    assert sdk is not None and sdk.id == "acme-analytics" and sdk.source == ""
    assert catalogue.match("www.acme-analytics.example") is None
    assert len(catalogue) == len(SdkCatalogue.load()) + 1


def test_extra_entry_with_a_bundled_id_replaces_it():
    catalogue = SdkCatalogue.load([{
        "id": "tencent-bugly", "name": "Bugly (private deployment)", "vendor": "Tencent",
        "category": "crash_reporting", "domains": ["bugly.internal-mirror.example"],
    }])
    assert catalogue.match("android.bugly.qq.com") is None
    assert catalogue.match("bugly.internal-mirror.example").name == "Bugly (private deployment)"
    assert len(catalogue) == len(SdkCatalogue.load())


def test_extra_entry_may_be_more_specific_than_a_bundled_one():
    catalogue = SdkCatalogue.load([{
        "id": "umeng-verify", "name": "Umeng+ U-Verify", "vendor": "Umeng",
        "category": "social_login", "domains": ["verify.umeng.com"],
    }])
    assert sdk_id(catalogue, "api.verify.umeng.com") == "umeng-verify"
    assert sdk_id(catalogue, "alog.umeng.com") == "umeng-analytics"


def test_extra_entry_claiming_a_bundled_domain_is_an_error():
    with pytest.raises(ConfigError) as error:
        SdkCatalogue.load([{
            "id": "my-graph", "name": "Mine", "vendor": "Me", "category": "analytics",
            "domains": ["Graph.Facebook.com"],
        }])
    assert "graph.facebook.com" in str(error.value)
    assert "facebook-sdk" in str(error.value) and "my-graph" in str(error.value)


def test_invalid_extra_entries_report_every_problem():
    with pytest.raises(ConfigError) as error:
        SdkCatalogue.load([
            {"id": "Bad Id", "name": "x", "vendor": "x", "category": "analytics", "domains": ["a.example"]},
            {"id": "no-domains", "name": "x", "vendor": "x", "category": "analytics"},
            {"id": "bad-category", "name": "x", "vendor": "x", "category": "tracking", "domains": ["b.example"]},
            {"id": "suffix", "name": "x", "vendor": "x", "category": "analytics", "domains": ["com.cn", "github.io"]},
            {"id": "bare-tld", "name": "x", "vendor": "x", "category": "analytics", "domains": ["com"]},
            {"id": "typo", "name": "x", "vendor": "x", "category": "analytics", "domain": ["c.example"]},
            {"id": "empty", "name": "x", "vendor": "x", "category": "analytics", "domains": []},
            "not a mapping",
        ])
    problems = error.value.problems
    text = "\n".join(problems)
    assert "[0].id" in text
    assert "[1]: missing key 'domains'" in text
    assert "[2].category" in text
    assert "[3].domains[0]" in text and "[3].domains[1]" in text and "public suffix" in text
    assert "[4].domains[0]" in text
    assert "[5].domain: unknown key (did you mean 'domains'?)" in text
    assert "[6].domains" in text
    assert "[7]" in text
    assert len(problems) == 10


def test_entries_inside_another_yaml_file_are_reported_with_file_and_line():
    text = (
        "name: Demo Shop\n"
        "sdks:\n"
        "  - id: acme-push\n"
        "    name: Acme Push\n"
        "    vendor: Acme\n"
        "    category: pushes\n"
        "    domains: [push.acme.example]\n"
        "  - id: acme-maps\n"
        "    name: Acme Maps\n"
        "    vendor: Acme\n"
        "    category: maps\n"
        "    domains: [tiles.acme.example]\n"
    )
    document = load_yaml("app.yaml", text=text)
    sdks = parse_sdk_entries(document, document.data["sdks"], ("sdks",))
    assert [sdk.id for sdk in sdks] == ["acme-maps"]
    assert len(document.problems) == 1
    assert document.problems[0].startswith("app.yaml:6: sdks[0].category: expected one of")


def test_valid_entries_and_ip_domains_are_accepted():
    catalogue = SdkCatalogue.load([{
        "id": "fixed-ip-collector", "name": "Collector", "vendor": "Acme",
        "category": "analytics", "domains": ["203.0.113.9"],
    }])
    assert sdk_id(catalogue, "203.0.113.9") == "fixed-ip-collector"
    assert catalogue.match("203.0.113.90") is None


# --- the classifier --------------------------------------------------------------

UMENG = DeclaredParty(name="Umeng", domains=("umeng.com", "umengcloud.com"),
                 data=frozenset({"android_id", "advertising_id"}), purpose="analytics")


@pytest.fixture
def classifier(catalogue) -> PartyClassifier:
    return PartyClassifier(first_party=["demoshop.com", "demoshop-cdn.net"],
                           third_parties=[UMENG], catalogue=catalogue)


@pytest.mark.parametrize("host", ["demoshop.com", "api.demoshop.com", "img.demoshop-cdn.net",
                                  "API.DemoShop.com.", "api.demoshop.com:8443"])
def test_first_party(classifier, host):
    party = classifier.classify(host)
    assert party.kind == "first_party"
    assert party.registrable_domain == registrable_domain(host)
    assert party.sdk is None and party.declared_data is None


@pytest.mark.parametrize("host", ["demoshop.com.evil.example", "notdemoshop.com",
                                  "demoshop.co", "demoshop-cdn.net.cn"])
def test_look_alikes_of_first_party_are_third_parties(classifier, host):
    assert classifier.classify(host).kind == "unknown"


def test_declared_party_carries_its_data_types_and_sdk(classifier):
    party = classifier.classify("alog.umeng.com")
    assert party.kind == "declared"
    assert party.name == "Umeng"
    assert party.registrable_domain == "umeng.com"
    assert party.declared_data == frozenset({"android_id", "advertising_id"})
    assert party.sdk is not None and party.sdk.id == "umeng-analytics"


def test_same_vendor_on_an_undeclared_domain_is_not_declared(classifier):
    party = classifier.classify("umengacs.m.taobao.com")
    assert party.kind == "sdk"
    assert party.sdk.id == "umeng-push"
    assert party.name == party.sdk.name
    assert party.declared_data is None


def test_known_sdk(classifier):
    party = classifier.classify("android.bugly.qq.com")
    assert (party.kind, party.sdk.id, party.registrable_domain) == ("sdk", "tencent-bugly", "qq.com")
    assert party.declared_data is None


@pytest.mark.parametrize(("host", "name"), [
    ("cdn.tracker-of-unknown-origin.example", "tracker-of-unknown-origin.example"),
    ("www.qq.com", "qq.com"),
    ("10.0.0.5", "10.0.0.5"),
    ("shop.partner.co.uk", "partner.co.uk"),
])
def test_unknown_third_party_is_named_by_its_registrable_domain(classifier, host, name):
    party = classifier.classify(host)
    assert (party.kind, party.name, party.registrable_domain) == ("unknown", name, name)
    assert party.sdk is None and party.declared_data is None


def test_first_party_wins_over_sdk_and_declaration(catalogue):
    # A Tencent app owns qq.com, including hosts the catalogue knows as Bugly's.
    classifier = PartyClassifier(
        first_party=["qq.com"],
        third_parties=[DeclaredParty(name="Bugly", domains=("bugly.qq.com",), data=frozenset({"imei"}))],
        catalogue=catalogue)
    assert classifier.classify("android.bugly.qq.com").kind == "first_party"


def test_first_party_entries_are_compared_by_registrable_domain(catalogue):
    classifier = PartyClassifier(first_party=["www.demoshop.com"], third_parties=[],
                                 catalogue=catalogue)
    assert classifier.classify("api.demoshop.com").kind == "first_party"


def test_first_party_on_a_private_suffix_covers_only_that_site(catalogue):
    classifier = PartyClassifier(first_party=["alice.github.io"], third_parties=[],
                                 catalogue=catalogue)
    assert classifier.classify("alice.github.io").kind == "first_party"
    assert classifier.classify("bob.github.io").kind == "unknown"


def test_most_specific_declaration_wins(catalogue):
    classifier = PartyClassifier(
        first_party=[],
        third_parties=[DeclaredParty(name="Tencent", domains=("qq.com",), data=frozenset({"phone"})),
                       DeclaredParty(name="Bugly", domains=("*.bugly.qq.com",), data=frozenset({"imei"}))],
        catalogue=catalogue)
    bugly = classifier.classify("android.bugly.qq.com")
    assert (bugly.kind, bugly.name, bugly.declared_data) == ("declared", "Bugly", frozenset({"imei"}))
    assert bugly.sdk.id == "tencent-bugly"
    tencent = classifier.classify("www.qq.com")
    assert (tencent.kind, tencent.name, tencent.sdk) == ("declared", "Tencent", None)


def test_declared_party_without_data_types_is_distinct_from_undeclared(catalogue):
    classifier = PartyClassifier(
        first_party=[], third_parties=[DeclaredParty(name="Partner", domains=("partner.example",))],
        catalogue=catalogue)
    party = classifier.classify("api.partner.example")
    assert party.kind == "declared" and party.declared_data == frozenset()
    assert party.sdk is None
    assert classifier.classify("partner.example.net").kind == "unknown"


def test_first_party_added_later(catalogue):
    classifier = PartyClassifier(first_party=[], third_parties=[], catalogue=catalogue)
    assert classifier.classify("www.shop.example.co.uk").kind == "unknown"
    classifier.add_first_party("Shop.Example.co.uk.")
    assert classifier.classify("www.shop.example.co.uk").kind == "first_party"
    assert classifier.classify("www.other.co.uk").kind == "unknown"


def test_ip_first_party(catalogue):
    classifier = PartyClassifier(first_party=["192.0.2.10"], third_parties=[], catalogue=catalogue)
    assert classifier.classify("192.0.2.10:8080").kind == "first_party"
    assert classifier.classify("192.0.2.11").kind == "unknown"


# --- offline ---------------------------------------------------------------------

def test_building_and_classifying_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    # Start cold so that the suffix list and the catalogue are loaded under the patch.
    parties._suffix_extractor.cache_clear()
    parties._bundled_sdks.cache_clear()

    classifier = PartyClassifier(first_party=["demoshop.com"], third_parties=[UMENG],
                                 catalogue=SdkCatalogue.load())
    assert classifier.classify("shop.demo.co.uk").registrable_domain == "demo.co.uk"
    assert classifier.classify("alog.umeng.com").kind == "declared"
    assert classifier.classify("android.bugly.qq.com").kind == "sdk"
