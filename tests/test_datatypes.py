"""A new data type is one declaration: registered without editing appaudit's modules,
it is read from its key names, confirmed by its validator, named in findings and
masked in reports like the built-in ones."""
import re

import pytest

from appaudit.scanner import datatypes
from appaudit.scanner.detectors import key_kind
from appaudit.scanner.model import data_label
from tests.helpers import flow_findings, make_flow
from tests.test_hardening_masking import report_of

STUDENT_ID = datatypes.DataType(
    name="student_id", label="student ID", keep_ends=(1, 2),
    key_names=("studentid", "xuehao", "学号"),
    validators={"student_id": lambda value: re.fullmatch(r"S\d{8}", value) is not None},
)


@pytest.fixture
def student_id():
    datatypes.register(STUDENT_ID)
    yield STUDENT_ID
    datatypes.unregister(STUDENT_ID.name)


def test_a_registered_data_type_is_found_named_and_masked(student_id):
    flow = make_flow("POST", "http://edu.example.com/enrol", json={"form": {"studentId": "S20231234"}})
    [finding] = flow_findings("DH001", [flow])
    assert (finding.evidence.data_type, finding.location.field) == ("student_id", "form.studentId")
    assert finding.message.startswith("A student ID travels over http://")
    report, text = report_of([flow])
    [evidence] = [f["evidence"] for f in report["findings"] if f["check"] == "DH001"]
    assert (evidence["data_type"], evidence["value"]) == ("student_id", "S******34")
    assert "S20231234" not in text


def test_its_chinese_key_name_matches_at_the_end(student_id):
    assert key_kind("学生学号") == key_kind("xuehao") == "student_id"


def test_a_value_its_validator_rejects_is_not_reported(student_id):
    flow = make_flow("POST", "http://edu.example.com/enrol", json={"student_id": "20231234"})
    assert flow_findings("DH001", [flow]) == []


def test_unregistered_its_key_names_mean_nothing_again(student_id):
    datatypes.unregister(student_id.name)
    try:
        flow = make_flow("POST", "http://edu.example.com/enrol", json={"student_id": "S20231234"})
        assert flow_findings("DH001", [flow]) == []
        assert key_kind("student_id") != "student_id" and data_label("student_id") == "student_id"
    finally:
        datatypes.register(student_id)


def test_a_name_or_key_name_is_declared_once():
    with pytest.raises(ValueError, match="already registered"):
        datatypes.register(datatypes.DataType(name="phone", label="phone"))
    with pytest.raises(ValueError, match="already announce 'phone'"):
        datatypes.register(datatypes.DataType(name="pager", label="pager number", key_names=("mobile",)))
    assert "pager" not in {data_type.name for data_type in datatypes.registered()}
