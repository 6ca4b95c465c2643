"""Property-based tests (hypothesis): arbitrary input never raises out of the decoders,
the detectors, the page model and checks, the engine or the YAML loaders (issue 24).

The default run keeps to a few dozen examples per property (seconds in all); set
APPAUDIT_FUZZ=1 for a thorough run (hundreds each, minutes)."""
import gzip
import json
import os
import zlib

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from appaudit.scanner.appfile import app_from_document
from appaudit.scanner.decoding import BodyError, DecodingBudget, body_fields, decompress, unwrap
from appaudit.scanner.detectors import Detector
from appaudit.scanner.engine import InputScan, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import jslex
from appaudit.scanner.profile_loader import load_profile, profile_from_document
from appaudit.scanner.yamlfile import ConfigError, load_yaml
from tests.helpers import make_flow

THOROUGH = bool(os.environ.get("APPAUDIT_FUZZ"))
pytestmark = pytest.mark.fuzz


def examples(quick: int, thorough: int):
    return settings(max_examples=thorough if THOROUGH else quick, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


CONTENT_TYPES = st.sampled_from([None, "application/json", "application/x-www-form-urlencoded; charset=gbk",
                                 "multipart/form-data; boundary=xx", "text/html", "application/xml", "text/plain",
                                 "application/json; charset=bogus", "application/xhtml+xml"])
# Text that looks like what payloads hold: JSON, forms, base64, percent escapes, markup.
PAYLOAD_TEXT = st.one_of(
    st.text(),
    st.text(alphabet="{}[]\":,=&%0123456789abcdefABCDEF+/_-<>?!. \n\\u", max_size=200),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda v: json.dumps(v)),
)


@examples(120, 3000)
@given(st.one_of(st.binary(max_size=2000), PAYLOAD_TEXT.map(str.encode)), CONTENT_TYPES)
def test_body_decoding_never_raises(data, content_type):
    budget = DecodingBudget()
    with budget.applied():
        fields = list(body_fields("request.body", data, content_type))
    assert all(isinstance(f.value, str) for f in fields)


@examples(80, 2000)
@given(PAYLOAD_TEXT)
def test_wrapped_payloads_unwrap_without_raising(text):
    import base64
    for wrapped in (text, base64.b64encode(gzip.compress(text.encode())).decode(),
                    base64.urlsafe_b64encode(text.encode()).decode()):
        unwrap(wrapped)


@examples(80, 2000)
@given(st.binary(max_size=500), st.sampled_from(["gzip", "deflate", "br", "zstd", "gzip, br", "x-bogus", "identity"]))
def test_decompression_raises_only_body_errors(data, encoding):
    for body in (data, zlib.compress(data), gzip.compress(data)):
        try:
            decompress(body, encoding, 4096)
        except BodyError:
            pass


@examples(120, 3000)
@given(st.text(max_size=500))
def test_detectors_never_raise(text):
    from appaudit.scanner.decoding import FieldValue

    detector = Detector({"account": "canary-1"})
    detector.scan_text(text)
    detector.scan_fields([FieldValue("request.body", "a.phone", "phone", text), FieldValue("request.url", "q", None, text)],
                         sender="client")


@examples(120, 3000)
@given(st.lists(st.text(max_size=8) | st.sampled_from(
    list("'\"`/\\*{}()u+x\n") + ["\\u{", "\\x", "/*", "//", "=>", "function", "110000}", "d83d"]), max_size=60).map("".join))
def test_the_script_lexer_never_raises(source):
    strings = []
    masked = jslex.lift_literals(source, strings)
    jslex.functions(masked)
    assert all(isinstance(s, str) for s in strings)
    for value in strings:
        value.encode("utf-8")


TAGS = st.sampled_from(["div", "a", "button", "script", "style", "img", "iframe", "form", "input", "span", "p",
                        "dialog", "my-app", "meta", "node", "hierarchy", "label", "template"])
ATTRS = st.sampled_from(['', ' id="x"', ' class="popup close modal"', ' style="position:fixed;z-index:999;display:none"',
                         ' href="https://apps.apple.com/app/id1"', ' onclick="location.href=\'https://x.example/\'"',
                         ' bounds="[0,0][1080,2340]" clickable="true" text="关闭"', ' aria-label="Close"',
                         ' type="checkbox" checked', ' http-equiv="refresh" content="0;url=https://x.example/"'])


@st.composite
def markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(draw(st.text(max_size=30)))
        elif kind == 1:
            parts.append(draw(st.sampled_from(["<script>setTimeout(function(){location='https://y.example/'},0)</script>",
                                               "<!--", "-->", "<style>.close{width:1px}</style>", "</div>",
                                               "<script>var x=\"\\u{110000}\"</script>", "13912345678"])))
        else:
            tag, attrs = draw(TAGS), draw(ATTRS)
            parts.append(f"<{tag}{attrs}>{draw(markup(depth + 1))}</{tag}>")
    return "".join(parts)


@examples(80, 2000)
@given(markup(), st.sampled_from(["html", "uiautomator"]), st.sampled_from([None, "https://news.example.com/"]))
@example(source="", kind="html", url=None)  # an empty file: UI006 and UI008 raised on it
def test_no_page_makes_a_check_raise(source, kind, url):
    scan = InputScan(ScanSettings(profile=load_profile("default")), Input(path="p", kind=kind))
    scan.page(Page(source=source, input="p", kind=kind, url=url if kind == "html" else None))
    scan.finish()
    errors = [o for o in scan.outcomes() if o.status is Status.ERROR]
    assert errors == [], errors
    assert not any("could not be read" in p or "not judged" in p for p in scan.input.problems)


@examples(80, 1500)
@given(st.binary(max_size=1500), CONTENT_TYPES, st.sampled_from(["", "gzip", "br", "x-bogus"]),
       st.text(alphabet="abcdefghijklmnop0123456789%&=?/.-_", max_size=60))
def test_no_flow_raises_out_of_the_engine(body, content_type, encoding, path):
    headers = {k: v for k, v in {"content-type": content_type, "content-encoding": encoding}.items() if v}
    flow = make_flow("POST", f"http://api.example.com/{path}", body=body, headers=headers,
                     response_body=body, response_headers=headers)
    scan = InputScan(ScanSettings(profile=load_profile("default")), Input(path="s", kind="flows"))
    scan.flow(flow, 0)
    scan.finish()
    assert [o for o in scan.outcomes() if o.status is Status.ERROR] == []


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["DH001", "UI003", "high"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["name", "include", "exclude", "severity", "settings", "extends", "first_party",
                         "third_parties", "canaries", "consent", "brands", "sdks", "DH001", "x"]) | st.text(max_size=6),
        inner, max_size=5),
    max_leaves=25)


@examples(120, 3000)
@given(st.one_of(YAML_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
                 st.text(alphabet="&*!:-[]{}|>'\"# \nabc01", max_size=200)))
def test_yaml_loaders_raise_only_config_errors(text):
    for build in (profile_from_document, app_from_document):
        try:
            build(load_yaml("fuzz.yaml", text))
        except ConfigError as e:
            assert all("\n" not in p for p in e.problems)
