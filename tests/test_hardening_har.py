"""HAR read entry by entry (issue 24, Medium 9 and Low): memory does not grow with the
file, one bad byte or one bogus header costs no entry."""
import json
import subprocess
import sys
import zlib

import pytest

from appaudit.scanner.engine import ScanSettings, scan_file
from appaudit.scanner.loading import read_har
from appaudit.scanner.profile_loader import load_profile

PHONE = "13912345678"


def entry(i: int, body: str = "", headers=()) -> dict:
    return {"startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
            "request": {"method": "POST", "url": f"http://api.example.com/{i}", "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "postData": {"mimeType": "application/json", "text": json.dumps({"phone": PHONE})}},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": list(headers),
                         "content": {"size": len(body), "mimeType": "text/plain", "text": body}}}


def har(entries: list) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": entries}}, ensure_ascii=False).encode()


def peak_rss_mb(path: str) -> float:
    code = ("import resource, sys\n"
            "from appaudit.scanner.loading import read_har\n"
            "n = sum(1 for _ in read_har(sys.argv[1], []))\n"
            "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True).stdout.split()
    return float(out[1])


@pytest.mark.slow
def test_memory_does_not_grow_with_the_har(tmp_path):
    small, big = tmp_path / "small.har", tmp_path / "big.har"
    small.write_bytes(har([entry(0, "x" * 1000)]))
    body = "y" * 2**20
    with open(big, "wb") as f:  # 200 entries of 1 MiB: a 200 MB HAR, written without holding it
        f.write(b'{"log": {"version": "1.2", "entries": [')
        for i in range(200):
            f.write((b"," if i else b"") + json.dumps(entry(i, body)).encode())
        f.write(b"]}}")
    assert peak_rss_mb(str(big)) - peak_rss_mb(str(small)) < 60  # whole, it took well over 400 MB


def test_entries_stream_with_bom_whitespace_and_zlib(tmp_path):
    document = har([entry(i) for i in range(3)])
    for name, data in [("bom.har", b"\xef\xbb\xbf \n" + document), ("c.zhar", zlib.compress(document))]:
        (tmp_path / name).write_bytes(data)
        problems = []
        assert [f.request.url for f in read_har(str(tmp_path / name), problems)] == \
            [f"http://api.example.com/{i}" for i in range(3)]
        assert problems == []


def test_one_invalid_utf8_byte_costs_no_entry(tmp_path):
    document = har([entry(0, "caf\u00e9"), entry(1)]).replace("caf\u00e9".encode(), b"caf\xe9")
    (tmp_path / "latin.har").write_bytes(document)
    result = scan_file(str(tmp_path / "latin.har"), "har", ScanSettings(profile=load_profile("default")))
    assert result.input.records == 2
    assert result.input.problems == ["1 bytes are not UTF-8 and were read as U+FFFD; "
                                     "the values holding them were not judged exactly"]
    assert sum(f.check == "DH001" for f in result.findings) >= 1


def test_a_bogus_content_encoding_costs_no_entry(tmp_path):
    bogus = entry(0, "hello", headers=[{"name": "Content-Encoding", "value": "x-bogus"}])
    also = entry(2, "hi", headers=[{"name": "Content-Encoding", "value": "gzip, br"}])
    (tmp_path / "b.har").write_bytes(har([bogus, entry(1), also]))
    problems = []
    flows = list(read_har(str(tmp_path / "b.har"), problems))
    assert [f.request.url for f in flows] == ["http://api.example.com/0", "http://api.example.com/1", "http://api.example.com/2"]
    assert flows[0].response.raw_content == b"hello"


def test_damage_after_some_entries_keeps_them(tmp_path):
    (tmp_path / "cut.har").write_bytes(har([entry(0), entry(1), entry(2)])[:-300])
    result = scan_file(str(tmp_path / "cut.har"), "har", ScanSettings(profile=load_profile("default")))
    assert result.input.records == 2
    assert result.input.problems[-1].startswith("damaged after record 2: invalid HAR: JSON syntax error")
