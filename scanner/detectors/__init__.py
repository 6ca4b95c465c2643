"""Sensitive-data detection: what personal data a flow's fields or a page's text hold.

``Detector.scan_fields`` reads decoded fields (``scanner.decoding.FieldValue``) and
returns :class:`DataHit` objects that the DH checks turn into findings;
``Detector.scan_text`` finds unmasked numbers in visible page text for UI011.
Validation comes before reporting: phone numbers through phonenumbers, ID cards,
IMEIs and MEIDs through python-stdnum's checksums, bank cards by issuer range and
Luhn; identifiers that nothing can validate are only taken where a key names them.
"""
from appaudit.scanner.detectors.detector import MAX_SCANNED_CHARS, DataHit, Detector
from appaudit.scanner.detectors.keys import key_kind, key_tokens
from appaudit.scanner.detectors.text import TextHit
from appaudit.scanner.detectors.values import is_masked
from appaudit.scanner.model import DATA_TYPES

__all__ = ["DATA_TYPES", "MAX_SCANNED_CHARS", "DataHit", "Detector", "TextHit", "is_masked", "key_kind",
           "key_tokens"]
