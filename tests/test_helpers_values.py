"""The personal values tests build captures from are what their names say (valid, or
invalid where the name says BAD), so a typo cannot make a test vacuous."""
from stdnum import luhn
from stdnum.cn import ric

from tests.helpers import CARD_BAD, CARD_UNIONPAY, CARD_VISA, ICCID, ID_CARD, ID_CARD_2, ID_CARD_BAD, IMEI


def test_id_card_numbers_are_checksum_valid_and_the_bad_one_is_not():
    assert ric.is_valid(ID_CARD) and ric.is_valid(ID_CARD_2) and not ric.is_valid(ID_CARD_BAD)


def test_card_numbers_pass_luhn_and_the_bad_one_does_not():
    assert luhn.is_valid(CARD_UNIONPAY) and luhn.is_valid(CARD_VISA) and not luhn.is_valid(CARD_BAD)


def test_imei_and_iccid_pass_luhn():
    assert luhn.is_valid(IMEI) and luhn.is_valid(ICCID)
