"""Sensitive-data detection: what personal data a flow's fields or a page's text hold.

``Detector.scan_fields`` reads decoded fields (``scanner.decoding.FieldValue``) and
returns :class:`DataHit` objects that the DH checks turn into findings;
``Detector.scan_text`` finds unmasked numbers in visible page text for UI011.
Validation comes before reporting: phone numbers through phonenumbers, ID cards,
IMEIs and MEIDs through python-stdnum's checksums, bank cards by issuer range and
Luhn; identifiers that nothing can validate are only taken where a key names them.
"""
from importlib import import_module

# Where each name below lives. They are imported on first use, not here: the data-type
# registry (scanner.datatypes) imports this package's validators, and the detector
# reads the registry, so importing the detector with the package would be a cycle.
_EXPORTS = {
    "DATA_TYPES": "appaudit.scanner.model",
    "MAX_SCANNED_CHARS": "appaudit.scanner.detectors.detector",
    "DataHit": "appaudit.scanner.detectors.detector",
    "Detector": "appaudit.scanner.detectors.detector",
    "TextHit": "appaudit.scanner.detectors.text",
    "is_masked": "appaudit.scanner.detectors.values",
    "key_kind": "appaudit.scanner.detectors.keys",
    "key_tokens": "appaudit.scanner.detectors.keys",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
