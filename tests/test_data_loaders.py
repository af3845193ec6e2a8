"""cnnrnn_helpers.data.loaders (with sources, registry, fetchers): auto/online/offline
dispatch, the cache, fetch/cache_status, every fetcher path offline."""

from __future__ import annotations

import hashlib
import http.server
import io
import pickle
import shutil
import socket
import tarfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cnnrnn_helpers import config
from cnnrnn_helpers.data import (
    Dataset,
    download,
    fetchers,
    loaders,
    sources,
    standins,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh data home, a clean probe memory and no waiting between retries."""
    monkeypatch.setenv("CNNRNN_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TFHUB_CACHE_DIR", raising=False)
    monkeypatch.setattr(sources, "_PROBES", {})
    monkeypatch.setattr(sources, "_sleep", lambda s: None)
    monkeypatch.setattr(download, "_sleep", lambda s: None)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return tmp_path / "home"


@pytest.fixture
def network(monkeypatch):
    """Control the connection probe: ``network.up = False`` makes hosts fail."""

    class Net:
        up = True
        probes = 0

    def probe(url, timeout):
        Net.probes += 1
        return None if Net.up else f"cannot reach {url} (test)"

    monkeypatch.setattr(sources, "_probe", probe)
    return Net


def _fake_mnist(n_train=7, n_test=5):
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": np.arange(n_train, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test, dtype=np.uint8) + 3) % 10,
    }


@pytest.fixture
def fetcher(monkeypatch):
    """Replace the MNIST fetcher; ``fetcher.error`` makes it raise."""

    class Fetcher:
        calls = 0
        error: BaseException | None = None
        arrays = _fake_mnist()

    def fetch(progress):
        Fetcher.calls += 1
        if Fetcher.error is not None:
            raise Fetcher.error
        return dict(Fetcher.arrays)

    monkeypatch.setitem(fetchers.FETCHERS, "mnist", fetch)
    return Fetcher


@pytest.fixture
def fake_standins(monkeypatch):
    """Small, instant stand-ins, independent of the stand-in generators."""
    made = []

    def standin_mnist(n_train, n_test, seed=0):
        made.append((n_train, n_test))
        return Dataset(
            "mnist",
            np.zeros((n_train, 28, 28), np.uint8),
            np.zeros(n_train, np.uint8),
            np.zeros((n_test, 28, 28), np.uint8),
            np.zeros(n_test, np.uint8),
            tuple("0123456789"),
            "stand-in",
        )

    def standin_eeg_eye_state(n_rows=14980, seed=0):
        made.append(n_rows)
        x = np.arange(n_rows * 14, dtype=np.float32).reshape(n_rows, 14)
        return x, (np.arange(n_rows) // 100 % 2).astype(np.uint8)

    monkeypatch.setattr(standins, "standin_mnist", standin_mnist, raising=False)
    monkeypatch.setattr(
        standins, "standin_eeg_eye_state", standin_eeg_eye_state, raising=False
    )
    return made


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("WARNING:")]


def test_offline_never_touches_network_or_fetcher(
    home, network, fetcher, fake_standins, capsys
):
    ds = loaders.load_mnist(source="offline", limit=4)
    assert ds.source == "stand-in" and ds.x_train.shape == (4, 28, 28)
    assert fake_standins == [(4, 4)]  # generated only at the needed size
    assert fetcher.calls == 0 and network.probes == 0
    warnings = _warnings(capsys.readouterr().err)
    assert len(warnings) == 1 and "source='offline'" in warnings[0]
    assert not (home / "real").exists()


def test_auto_without_network_falls_back_fast_with_one_warning(
    home, network, fetcher, fake_standins, capsys
):
    network.up = False
    started = time.monotonic()
    ds = loaders.load_mnist(source="auto", limit=3)
    assert time.monotonic() - started < 5
    assert ds.is_standin and len(ds.y_test) == 3
    assert fetcher.calls == 0  # the probe failed first
    warnings = _warnings(capsys.readouterr().err)
    assert len(warnings) == 1
    assert "download failed: ConnectionError: no network" in warnings[0]


def test_auto_fetch_error_falls_back_online_raises(
    home, network, fetcher, fake_standins, capsys
):
    fetcher.error = ConnectionResetError("connection reset by peer")
    ds = loaders.load_mnist(source="auto", limit=2)
    assert ds.is_standin
    warnings = _warnings(capsys.readouterr().err)
    assert len(warnings) == 1 and "connection reset by peer" in warnings[0]
    with pytest.raises(RuntimeError) as info:
        loaders.load_mnist(source="online")
    message = str(info.value)
    assert "connection reset by peer" in message
    assert "CNNRNN_DATA=offline" in message and "cnnrnn fetch mnist" in message
    assert fetcher.calls == 2
    assert _warnings(capsys.readouterr().err) == []  # online: no stand-in
    assert not (home / "real").exists() or list((home / "real").iterdir()) == []


def test_fetch_writes_cache_and_later_runs_use_it(
    home, network, fetcher, fake_standins, capsys
):
    ds = loaders.load_mnist(source="online")
    assert ds.source == "real" and ds.y_train.tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert ds.class_names == tuple("0123456789")
    assert ds.info["cache"] == str(home / "real" / "mnist.npz")
    assert sorted(p.name for p in (home / "real").iterdir()) == [
        "mnist.npz",
        "mnist.npz.json",
    ]
    fetcher.error = AssertionError("must not fetch again")
    for source in ("offline", "auto", "online"):
        again = loaders.load_mnist(source=source, limit=2)
        assert again.source == "real"
        np.testing.assert_array_equal(again.x_test, fetcher.arrays["x_test"][:2])
    assert fetcher.calls == 1 and fake_standins == []
    assert _warnings(capsys.readouterr().err) == []


def test_corrupt_cache_is_ignored_and_refetched(
    home, network, fetcher, fake_standins, capsys
):
    loaders.load_mnist(source="auto")
    path = home / "real" / "mnist.npz"
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    assert loaders.load_mnist(source="offline").is_standin
    assert "ignoring damaged cache file" in capsys.readouterr().err
    assert loaders.cache_status()[0]["cached"] is True  # quick check: size only
    ds = loaders.load_mnist(source="auto")
    assert ds.source == "real" and fetcher.calls == 2
    assert download.verify_npz(path) is None  # repaired


def test_bad_fetched_arrays_are_rejected(home, network, fetcher, fake_standins):
    fetcher.arrays = dict(_fake_mnist(), y_train=np.full(7, 12, np.uint8))
    with pytest.raises(RuntimeError, match="labels >= 10"):
        loaders.load_mnist(source="online")
    # not a network problem: auto does not hide it behind a stand-in
    with pytest.raises(ValueError, match="labels >= 10"):
        loaders.load_mnist(source="auto")
    assert fake_standins == []
    assert not (home / "real" / "mnist.npz").exists()


@pytest.mark.parametrize(
    "error",
    [
        MemoryError(),
        OSError(28, "No space left on device"),
        KeyError("a bug"),
    ],
)
def test_auto_only_hides_network_errors(home, network, fetcher, fake_standins, error):
    fetcher.error = error
    with pytest.raises(type(error)):
        loaders.load_mnist(source="auto", limit=2)
    assert fake_standins == []


@pytest.mark.parametrize(
    ("error", "network_error"),
    [
        (ConnectionResetError("reset"), True),
        (TimeoutError("timed out"), True),
        (OSError(101, "Network is unreachable"), True),
        (socket.gaierror(-3, "Temporary failure in name resolution"), True),
        (Exception("URL fetch failure on https://x: None -- timed out"), True),
        (OSError(28, "No space left on device"), False),
        (ValueError("md5 checksum mismatch"), False),
        (MemoryError(), False),
    ],
)
def test_is_network_error(error, network_error):
    assert sources.is_network_error(error) is network_error
    outer = RuntimeError("wrapped")  # a network error anywhere in the chain counts
    outer.__cause__ = error
    assert sources.is_network_error(outer) is network_error


def test_source_none_follows_config(home, network, fetcher, fake_standins, monkeypatch):
    monkeypatch.setattr(config, "DATA", "offline")
    assert loaders.load_mnist(limit=2).is_standin and fetcher.calls == 0
    monkeypatch.setattr(config, "DATA", "online")
    fetcher.error = TimeoutError("timed out")
    with pytest.raises(RuntimeError, match="timed out"):
        loaders.load_mnist(limit=2)


def test_argument_checks(home):
    with pytest.raises(ValueError, match="auto, online, offline"):
        loaders.load_mnist(source="internet")
    with pytest.raises(ValueError, match="limit must be None or an int >= 1"):
        loaders.load_cifar10(source="offline", limit=0)
    with pytest.raises(TypeError, match="limit must be None"):
        loaders.load_svhn(source="offline", limit=2.5)
    with pytest.raises(ValueError, match=r"test_size must be a number in \(0, 1\)"):
        loaders.load_eeg_eye_state(source="offline", test_size=1.0)
    with pytest.raises(ValueError, match="unknown dataset 'imagenet'"):
        loaders.fetch(["mnist", "imagenet"])


def test_eeg_split_is_chronological_and_limit_is_a_prefix(
    home, network, fake_standins, monkeypatch, capsys
):
    n = 1000
    x = np.arange(n * 14, dtype=np.float32).reshape(n, 14)
    y = (np.arange(n) >= 600).astype(np.uint8)
    monkeypatch.setitem(fetchers.FETCHERS, "eeg_eye_state", lambda p: {"x": x, "y": y})
    ds = loaders.load_eeg_eye_state(source="online", test_size=0.25)
    assert ds.source == "real" and ds.class_names == ("eyes open", "eyes closed")
    assert ds.x_train.shape == (750, 14) and ds.x_test.shape == (250, 14)
    assert ds.x_train[-1, 0] == 749 * 14 and ds.x_test[0, 0] == 750 * 14
    small = loaders.load_eeg_eye_state(source="offline", limit=10)
    np.testing.assert_array_equal(small.x_test, x[800:810])  # default 0.2
    np.testing.assert_array_equal(small.y_train, y[:10])
    # The stand-in is made whole (14980 rows) and split the same way.
    (home / "real" / "eeg_eye_state.npz").unlink()
    standin = loaders.load_eeg_eye_state(source="offline", limit=5)
    assert fake_standins == [14980] and standin.is_standin
    assert standin.x_test[0, 0] == 11984 * 14
    assert len(_warnings(capsys.readouterr().err)) == 1


def test_fetch_and_cache_status(home, network, fetcher, monkeypatch):
    network.up = False
    reports = loaders.fetch(None, progress=False)
    names = [*loaders.REAL_DATASETS, "ganeval-cifar10-convnet"]
    assert [r["name"] for r in reports] == names
    assert all(not r["ok"] and "no network" in r["error"] for r in reports)
    assert fetcher.calls == 0 and not (home / "real").exists()
    network.up = True
    [report] = loaders.fetch("mnist", progress=False)
    assert report["ok"] and report["message"].startswith("fetched in")
    assert report["size"] == (home / "real" / "mnist.npz").stat().st_size
    [report] = loaders.fetch(["MNIST", "mnist"])
    assert report["message"] == "already cached" and fetcher.calls == 1
    status = {row["name"]: row for row in loaders.cache_status()}
    assert set(status) == {*loaders.REAL_DATASETS, "ganeval-cifar10-convnet"}
    assert status["mnist"]["cached"] and status["mnist"]["source"] == "real (cached)"
    assert status["svhn"] == {
        "name": "svhn",
        "cached": False,
        "size": None,
        "path": str(home / "real" / "svhn.npz"),
        "local": None,
        "source": "stand-in (not cached)",
    }


def test_real_datasets_table():
    assert list(loaders.REAL_DATASETS) == [
        "mnist",
        "fashion_mnist",
        "cifar10",
        "svhn",
        "eeg_eye_state",
    ]
    sizes = {k: (v.n_train, v.n_test) for k, v in loaders.REAL_DATASETS.items()}
    assert sizes["svhn"] == (73257, 26032) and sizes["cifar10"] == (50000, 10000)
    assert sizes["eeg_eye_state"] == (11984, 2996)
    assert loaders.REAL_DATASETS["fashion_mnist"].class_names[9] == "Ankle boot"
    spec = loaders.REAL_DATASETS["mnist"]
    with pytest.raises(AttributeError):  # a frozen dataclass
        spec.n_train = 5


def test_probe_is_fast_and_remembered(monkeypatch):
    monkeypatch.setattr(sources, "_PROBES", {})
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    try:
        assert sources.probe(f"http://127.0.0.1:{port}", 2.0) is None
    finally:
        listener.close()
    # Closed port now: refused at once, and the answer is remembered.
    started = time.monotonic()
    url = f"http://127.0.0.1:{port}/x"
    problem = sources.probe(url, 2.0)
    assert problem is not None and "cannot reach 127.0.0.1" in problem
    assert time.monotonic() - started < 2.5
    assert sources._PROBES[(url, 2.0)][1] == problem
    # remembered for a short while only: an old failure is probed again
    monkeypatch.setattr(sources, "_probe_once", lambda url, timeout: None)
    assert sources.probe(url, 2.0) == problem
    when, _ = sources._PROBES[(url, 2.0)]
    sources._PROBES[(url, 2.0)] = (when - sources.PROBE_FAILURE_TTL - 1, problem)
    assert sources.probe(url, 2.0) is None


@pytest.fixture
def keras_offline(monkeypatch):
    """Accept a pre-filled Keras cache file whatever its hash; forbid downloads.

    Keras's get_file compares the cached file's SHA-256 with the published
    one and downloads again on a mismatch; our small fake files cannot match,
    so ``keras.src.utils.file_utils.validate_file`` is replaced by a stub that
    records the hash it was asked to check, and ``urlretrieve`` raises.
    """
    from keras.src.utils import file_utils

    checked = []

    def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
        checked.append((Path(fpath).name, file_hash))
        return True

    def urlretrieve(*args, **kwargs):
        raise AssertionError("the test must not download")

    monkeypatch.setattr(file_utils, "validate_file", validate_file)
    monkeypatch.setattr(file_utils, "urlretrieve", urlretrieve)
    return checked


def test_keras_mnist_path_reads_redirected_cache(home, network, keras_offline):
    import keras

    arrays = _fake_mnist(6, 4)
    cache = home / "keras" / "datasets"
    cache.mkdir(parents=True)
    np.savez(cache / "mnist.npz", **arrays)
    original = keras.datasets.mnist.load_data.__globals__["get_file"]
    ds = loaders.load_mnist(source="online")
    assert ds.source == "real" and ds.x_train.shape == (6, 28, 28)
    np.testing.assert_array_equal(ds.x_test, arrays["x_test"])
    np.testing.assert_array_equal(ds.y_train, arrays["y_train"])
    # Keras's own published SHA-256 was the one checked, and get_file is restored.
    assert keras_offline == [
        (
            "mnist.npz",
            "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        )
    ]
    assert keras.datasets.mnist.load_data.__globals__["get_file"] is original
    assert (home / "real" / "mnist.npz").is_file()


def test_keras_cifar10_path_extracts_archive(home, network, keras_offline, monkeypatch):
    rng = np.random.default_rng(1)
    batches = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batches[name] = (
            rng.integers(0, 256, (3, 3072), dtype=np.uint8),
            [int(v) for v in rng.integers(0, 10, 3)],
        )
    cache = home / "keras" / "datasets"
    cache.mkdir(parents=True)
    with tarfile.open(cache / "cifar-10-batches-py-target_archive", "w:gz") as tar:
        for name, (data, labels) in batches.items():
            raw = pickle.dumps({b"data": data, b"labels": labels})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    # Keras fills fixed arrays of 10000 images per batch; pad each small
    # parsed batch (Keras's own load_batch reads the extracted file) with 0.
    from keras.src.datasets import cifar10

    def padded(fpath, label_key="labels"):
        data, labels = original(fpath, label_key)
        full = np.zeros((10000, 3, 32, 32), np.uint8)
        full[: len(data)] = data
        return full, list(labels) + [0] * (10000 - len(labels))

    original = cifar10.load_batch
    monkeypatch.setattr(cifar10, "load_batch", padded)
    arrays = fetchers._fetch_cifar10(progress=False)
    assert (home / "keras" / "datasets" / "cifar-10-batches-py-target").is_dir()
    assert arrays["x_train"].shape == (50000, 32, 32, 3)
    assert arrays["x_train"].dtype == np.uint8 and arrays["y_train"].dtype == np.uint8
    first = batches["data_batch_1"][0][0].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(arrays["x_train"][0], first)
    second = batches["data_batch_2"][0][2].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(arrays["x_train"][10002], second)
    assert arrays["y_test"][:3].tolist() == batches["test_batch"][1]


def test_tfds_fashion_mnist_path_under_mock_data(home, network):
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=6):
        ds = loaders.load_fashion_mnist(source="online", limit=4)
    assert ds.source == "real" and ds.x_train.shape == (4, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.y_test.dtype == np.uint8
    assert int(ds.y_train.max()) < 10 and int(ds.x_train.max()) > 0
    cached = download.load_npz_checked(home / "real" / "fashion_mnist.npz")
    assert cached["x_test"].shape == (6, 28, 28)


@pytest.fixture
def mat_server(tmp_path):
    """Serve ``tmp_path/www`` over HTTP on 127.0.0.1."""
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_svhn_mat_path_maps_label_10_to_0(home, network, mat_server, monkeypatch):
    import scipy.io

    root, url = mat_server
    rng = np.random.default_rng(2)
    files = {}
    labels = {"train": [10, 1, 2, 10, 9], "test": [3, 10, 4]}
    x_raw = {}
    for key, y in labels.items():
        x = rng.integers(0, 256, (32, 32, 3, len(y)), dtype=np.uint8)
        x_raw[key] = x
        scipy.io.savemat(root / f"{key}_32x32.mat", {"X": x, "y": np.array(y)[:, None]})
        md5 = hashlib.md5((root / f"{key}_32x32.mat").read_bytes()).hexdigest()
        files[key] = (f"{url}/{key}_32x32.mat", md5)
    monkeypatch.setattr(fetchers, "SVHN_FILES", files)
    ds = loaders.load_svhn(source="online")
    assert ds.source == "real" and ds.x_train.shape == (5, 32, 32, 3)
    assert ds.y_train.tolist() == [0, 1, 2, 0, 9] and ds.y_test.tolist() == [3, 0, 4]
    np.testing.assert_array_equal(ds.x_test[1], x_raw["test"][:, :, :, 1])
    assert (home / "svhn" / "train_32x32.mat").is_file()
    # A wrong checksum: the download is refused and nothing is kept.
    (home / "real" / "svhn.npz").unlink()
    shutil.rmtree(home / "svhn")
    monkeypatch.setitem(files, "test", (files["test"][0], "0" * 32))
    with pytest.raises(RuntimeError, match="md5 checksum mismatch"):
        loaders.load_svhn(source="online")
    assert sorted(p.name for p in (home / "svhn").iterdir()) == ["train_32x32.mat"]
    assert not (home / "real" / "svhn.npz").exists()


@pytest.fixture
def openml_no_network(monkeypatch):
    """Make every openml network call fail loudly (the cache must suffice)."""
    import openml

    def refuse(*args, **kwargs):
        raise ConnectionError("openml tried the network (test)")

    for name in ("_perform_api_call", "_download_minio_file", "_download_text_file"):
        monkeypatch.setattr(openml._api_calls, name, refuse)
    return openml


def test_openml_path_reads_prefilled_cache(home, network, openml_no_network):
    openml = openml_no_network
    shutil.copytree(FIXTURES / "openml", home / "openml")
    before = openml.config.get_config_as_dict()["cachedir"]
    ds = loaders.load_eeg_eye_state(source="online", test_size=0.25)
    assert ds.source == "real" and ds.x_train.shape == (30, 14)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.uint8
    # Time order kept (V1 counts rows) and "1"/"2" -> 0 open / 1 closed.
    assert ds.x_train[:, 0].tolist() == [4000.0 + i for i in range(30)]
    assert ds.y_train.tolist() == [0] * 10 + [1] * 10 + [0] * 10
    assert ds.y_test.tolist() == [1] * 10
    assert openml.config.get_config_as_dict()["cachedir"] == before
    # No pickle cache was written next to openml's files.
    cached = home / "openml" / "org" / "openml" / "www" / "datasets" / "1471"
    assert not list(cached.glob("*.pkl*"))


def test_openml_failure_deleting_its_cache_is_survived(
    home, network, openml_no_network, fake_standins, capsys
):
    # Description only, no data file: openml tries to download, fails and
    # deletes the whole dataset folder; our loader still answers.
    folder = home / "openml" / "org" / "openml" / "www" / "datasets" / "1471"
    folder.mkdir(parents=True)
    shutil.copy(
        FIXTURES / "openml/org/openml/www/datasets/1471/description.xml", folder
    )
    ds = loaders.load_eeg_eye_state(source="auto", limit=3)
    assert ds.is_standin and len(ds.x_test) == 3
    assert "openml tried the network" in _warnings(capsys.readouterr().err)[0]
    assert not folder.exists()  # openml removed it; nothing half-done is left
    with pytest.raises(RuntimeError, match="openml"):
        loaders.load_eeg_eye_state(source="online")
    # A later run with the files back in place works.
    shutil.copytree(FIXTURES / "openml", home / "openml", dirs_exist_ok=True)
    assert loaders.load_eeg_eye_state(source="online").source == "real"


def test_cli_fetch_reports_failures_and_exits_nonzero(home, network, fetcher, capsys):
    from cnnrnn_helpers.course import cli

    network.up = False
    assert cli.main(["fetch", "--quiet", "mnist", "svhn"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["mnist", "FAILED"]
    assert out[1].split()[:2] == ["svhn", "FAILED"] and "ufldl" in out[1]
    assert not (home / "real").exists() and not (home / "svhn").exists()
    network.up = True
    assert cli.main(["fetch", "--quiet", "mnist"]) == 0
    assert capsys.readouterr().out.split()[:2] == ["mnist", "ok"]
