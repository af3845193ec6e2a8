"""cnnrnn_helpers.data.download: atomic, checksummed, retried downloads and the
verified .npz cache files."""

from __future__ import annotations

import hashlib
import http.client
import http.server
import json
import threading
import urllib.error
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from cnnrnn_helpers.data import download as dl

PAYLOAD = bytes(range(256)) * 400  # 102400 bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    """/ok: the payload; /drop: half of it, then the connection closes;
    /flaky: HTTP 503 for the first ``server.failures`` requests; /missing: 404."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        server = self.server
        server.hits[self.path] = server.hits.get(self.path, 0) + 1
        if self.path == "/missing":
            self.send_error(404)
            return
        if self.path == "/flaky" and server.hits[self.path] <= server.failures:
            self.send_error(503)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        if self.path == "/drop":
            self.wfile.write(PAYLOAD[: len(PAYLOAD) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(PAYLOAD)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(dl, "_sleep", lambda seconds: None)  # no waiting
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.hits = {}
    httpd.failures = 2
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


SHA = hashlib.sha256(PAYLOAD).hexdigest()


MD5 = hashlib.md5(PAYLOAD, usedforsecurity=False).hexdigest()


def test_download_success_verifies_and_prints_two_lines(server, tmp_path, capsys):
    dest = tmp_path / "sub" / "file.bin"
    out = dl.download(f"{server.url}/ok", dest, sha256=SHA, md5=MD5, progress=False)
    assert out == dest.resolve()
    assert dest.read_bytes() == PAYLOAD
    assert _leftovers(dest.parent) == ["file.bin"]  # no temporary file left
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("downloading file.bin") and "100.0 kB" in lines[0]
    assert lines[1].startswith("downloaded file.bin: 100.0 kB")
    # Present and matching: no second request.
    dl.download(f"{server.url}/ok", dest, sha256=SHA)
    assert server.hits["/ok"] == 1


def test_checksum_mismatch_deletes_everything(server, tmp_path):
    dest = tmp_path / "file.bin"
    with pytest.raises(ValueError, match="sha256 checksum mismatch"):
        dl.download(f"{server.url}/ok", dest, sha256="0" * 64, progress=False)
    with pytest.raises(ValueError, match="md5 checksum mismatch"):
        dl.download(f"{server.url}/ok", dest, md5="f" * 32, progress=False)
    assert _leftovers(tmp_path) == []
    assert server.hits["/ok"] == 2  # a checksum mismatch is not retried


def test_connection_dropped_halfway_leaves_no_file(server, tmp_path):
    dest = tmp_path / "file.bin"
    with pytest.raises(http.client.IncompleteRead):
        dl.download(f"{server.url}/drop", dest, retries=2, progress=False)
    assert server.hits["/drop"] == 3  # first try + 2 retries
    assert _leftovers(tmp_path) == []


def test_retries_recover_from_server_errors(server, tmp_path):
    dest = tmp_path / "file.bin"
    dl.download(f"{server.url}/flaky", dest, sha256=SHA, retries=3, progress=False)
    assert server.hits["/flaky"] == 3  # two 503s, then success
    assert dest.read_bytes() == PAYLOAD
    server.hits.clear()
    with pytest.raises(urllib.error.HTTPError, match="503"):
        dl.download(f"{server.url}/flaky", tmp_path / "b.bin", retries=1)
    assert server.hits["/flaky"] == 2
    with pytest.raises(urllib.error.HTTPError, match="404"):
        dl.download(f"{server.url}/missing", tmp_path / "c.bin", retries=3)
    assert server.hits["/missing"] == 1  # a 4xx is not retried
    assert _leftovers(tmp_path) == ["file.bin"]


def test_keyboard_interrupt_removes_partial_file(monkeypatch, tmp_path):
    class Response:
        headers: ClassVar[dict] = {"Content-Length": "4096"}
        calls = 0

        def read(self, n):
            Response.calls += 1
            if Response.calls > 1:
                raise KeyboardInterrupt
            return b"x" * 1024

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(dl.urllib.request, "urlopen", lambda url, timeout: Response())
    with pytest.raises(KeyboardInterrupt):
        dl.download("https://example.invalid/f.bin", tmp_path / "f.bin", progress=False)
    assert _leftovers(tmp_path) == []


def test_existing_file_with_wrong_checksum_is_replaced(server, tmp_path):
    dest = tmp_path / "file.bin"
    dest.write_bytes(b"stale")
    dl.download(f"{server.url}/ok", dest, sha256=SHA, progress=False)
    assert dest.read_bytes() == PAYLOAD


def test_file_url_and_bad_arguments(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(PAYLOAD)
    out = dl.download(src.as_uri(), tmp_path / "copy.bin", sha256=SHA, progress=False)
    assert out.read_bytes() == PAYLOAD
    with pytest.raises(ValueError, match="url must start with"):
        dl.download("ftp://host/x", tmp_path / "x")
    with pytest.raises(ValueError, match="sha256 must be 64 hex digits"):
        dl.download(src.as_uri(), tmp_path / "x", sha256="abc")
    with pytest.raises(ValueError, match="retries must be >= 0, got -1"):
        dl.download(src.as_uri(), tmp_path / "x", retries=-1)
    with pytest.raises(urllib.error.URLError):  # missing local file: no retries
        dl.download((tmp_path / "nope").as_uri(), tmp_path / "x", retries=5)


def test_interactive_progress_rules(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert dl.interactive_progress(True) is False
    monkeypatch.delenv("CI")
    assert dl.interactive_progress(False) is False


def _arrays():
    return {
        "x": np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
        "y": np.array([0.5, 1.5], dtype=np.float32),
    }


def test_npz_roundtrip_and_sidecar(tmp_path):
    path = dl.atomic_save_npz(tmp_path / "d" / "a.npz", **_arrays())
    side = json.loads((tmp_path / "d" / "a.npz.json").read_text())
    assert side["arrays"] == {
        "x": {"shape": [2, 3, 4], "dtype": "uint8"},
        "y": {"shape": [2], "dtype": "float32"},
    }
    assert side["sha256"] == dl.file_sha256(path)
    assert side["size"] == path.stat().st_size
    loaded = dl.load_npz_checked(path)
    assert loaded is not None and set(loaded) == {"x", "y"}
    np.testing.assert_array_equal(loaded["x"], _arrays()["x"])
    assert loaded["y"].dtype == np.float32 and loaded["y"][1] == 1.5
    assert dl.verify_npz(path) is None
    assert _leftovers(tmp_path / "d") == ["a.npz", "a.npz.json"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "no_sidecar", "bad_sidecar"])
def test_damaged_npz_counts_as_not_cached(tmp_path, capsys, damage):
    path = dl.atomic_save_npz(tmp_path / "a.npz", **_arrays())
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "truncate":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "no_sidecar":
        dl.sidecar_path(path).unlink()
    else:
        dl.sidecar_path(path).write_text("{not json")
    assert dl.load_npz_checked(path) is None
    assert "ignoring damaged cache file" in capsys.readouterr().err
    assert dl.load_npz_checked(tmp_path / "missing.npz") is None


def test_npz_refuses_objects_and_pickles(tmp_path):
    with pytest.raises(TypeError, match="dtype object"):
        dl.atomic_save_npz(tmp_path / "o.npz", x=np.array([{}, 1], dtype=object))
    with pytest.raises(ValueError, match=r"must end in \.npz"):
        dl.atomic_save_npz(tmp_path / "o.bin", x=np.zeros(2))
    # A pickled object array with a forged, matching sidecar is still refused.
    path = tmp_path / "p.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object))
    meta = {
        "sha256": dl.file_sha256(path),
        "size": path.stat().st_size,
        "arrays": {"x": {"shape": [1], "dtype": "object"}},
    }
    dl.sidecar_path(path).write_text(json.dumps(meta))
    assert dl.load_npz_checked(path) is None


def test_resave_replaces_old_sidecar(tmp_path):
    path = dl.atomic_save_npz(tmp_path / "a.npz", **_arrays())
    dl.atomic_save_npz(path, z=np.ones(5, dtype=np.int16))
    loaded = dl.load_npz_checked(path)
    assert loaded is not None and list(loaded) == ["z"] and loaded["z"].sum() == 5
