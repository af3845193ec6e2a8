"""IDX files and local dataset copies: the reader, its checks, the source rule.

The unit tests write small IDX files themselves (a registry entry shrunk to
their size); one test reads the real Fashion-MNIST of Debian's
``dataset-fashion-mnist`` and skips where the package is missing.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from cnnrnn_helpers import config, results
from cnnrnn_helpers.course import report
from cnnrnn_helpers.data import idx, loaders, registry, sources
from cnnrnn_helpers.data.download import npz_meta

SYSTEM_FASHION = config.SYSTEM_DATASETS_DIR / "fashion-mnist"
N_TRAIN, N_TEST = 30, 20


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes holding ``array``."""
    array = np.asarray(array, np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    return header + array.tobytes()


def small_arrays(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(N_TRAIN) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(N_TEST) % 10).astype(np.uint8),
    }


def write_folder(folder: Path, arrays: dict[str, np.ndarray], gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for key, base in idx.IDX_FILES.items():
        raw = idx_bytes(arrays[key])
        if gz:
            (folder / f"{base}.gz").write_bytes(gzip.compress(raw))
        else:
            (folder / base).write_bytes(raw)
    return folder


@pytest.fixture
def small_fashion(monkeypatch):
    """Shrink the registry's Fashion-MNIST entry to the small test files."""
    arrays = small_arrays()
    spec = dataclasses.replace(
        registry.REAL_DATASETS["fashion_mnist"],
        n_train=N_TRAIN,
        n_test=N_TEST,
        class_counts=((3,) * 10, (2,) * 10),
        array_sha256=tuple((k, idx.array_sha256(v)) for k, v in arrays.items()),
    )
    monkeypatch.setitem(registry.REAL_DATASETS, "fashion_mnist", spec)
    return arrays


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh data home, an empty datasets root and a network that fails."""
    monkeypatch.setenv("CNNRNN_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CNNRNN_DATASETS_DIR", str(tmp_path / "datasets"))
    monkeypatch.setattr(sources, "_PROBES", {})

    def no_network(url, timeout):
        raise AssertionError(f"the network was probed ({url})")

    monkeypatch.setattr(sources, "_probe", no_network)
    results.clear()
    return tmp_path


# --- the reader --------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_round_trip(tmp_path, gz):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    raw = idx_bytes(array)
    path = tmp_path / ("a.gz" if gz else "a")
    path.write_bytes(gzip.compress(raw) if gz else raw)
    got = idx.read_idx(path)
    np.testing.assert_array_equal(got, array)
    assert got.dtype == np.uint8 and got.flags.writeable
    assert idx.array_sha256(got) == hashlib.sha256(array.tobytes()).hexdigest()


def test_read_idx_rejects_bad_files(tmp_path):
    good = idx_bytes(np.zeros((4, 5), np.uint8))
    cases = {
        "magic": (b"\x00\x00\x0d\x02" + good[4:], "magic number"),
        "ndim0": (b"\x00\x00\x08\x00", "magic number"),
        "short": (good[:-1], "truncated"),
        "long": (good + b"\x00", "truncated"),
        "header": (good[:6], "header cut off"),
        "tiny": (b"\x00\x00", "too short"),
    }
    for name, (raw, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(ValueError, match=message):
            idx.read_idx(path)
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(good)[:-8])
    with pytest.raises(ValueError, match="decompress"):
        idx.read_idx(broken)
    with pytest.raises(FileNotFoundError):
        idx.read_idx(tmp_path / "missing")
    with pytest.raises(TypeError, match="path"):
        idx.read_idx(3)
    with pytest.raises(TypeError, match="array"):
        idx.array_sha256([1, 2])


def test_find_idx_files_names_what_is_missing(tmp_path):
    write_folder(tmp_path / "f", small_arrays())
    (tmp_path / "f" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        idx.find_idx_files(tmp_path / "f")
    with pytest.raises(FileNotFoundError, match="not a folder"):
        idx.find_idx_files(tmp_path / "nothing")
    write_folder(tmp_path / "plain", small_arrays(), gz=False)
    files = idx.find_idx_files(tmp_path / "plain")
    assert [p.name for p in files.values()] == list(idx.IDX_FILES.values())


def test_read_idx_folder_checks_counts_classes_and_checksums(tmp_path, small_fashion):
    folder = write_folder(tmp_path / "ok", small_fashion)
    got = idx.read_idx_folder("Fashion-MNIST", folder)
    assert {k: v.shape for k, v in got.items()} == {
        "x_train": (N_TRAIN, 28, 28),
        "y_train": (N_TRAIN,),
        "x_test": (N_TEST, 28, 28),
        "y_test": (N_TEST,),
    }
    for key, value in small_fashion.items():
        np.testing.assert_array_equal(got[key], value)

    def broken(**changes) -> Path:
        arrays = {**small_fashion, **changes}
        return write_folder(tmp_path / str(len(list(tmp_path.iterdir()))), arrays)

    x, y = small_fashion["x_train"], small_fashion["y_train"]
    flipped = x.copy()
    flipped[0, 0, 0] ^= 1
    swapped = y.copy()
    swapped[:2] = swapped[1::-1]
    cases = [
        ({"x_train": flipped}, "SHA-256"),
        ({"y_train": np.roll(y, 1)}, "SHA-256"),  # same counts, other order
        ({"y_train": np.zeros_like(y)}, "items per class"),
        ({"x_train": x[:-1], "y_train": y[:-1]}, "train labels, expected"),
        ({"x_train": x[:-1]}, "images but"),
        ({"x_test": small_fashion["x_test"][:, :27]}, r"28, 28"),
        ({"y_test": small_fashion["y_test"] + 10}, "labels >= 10"),
        ({"y_train": x[:, :1, 0]}, "1-D"),
    ]
    for changes, message in cases:
        with pytest.raises(ValueError, match=message):
            idx.read_idx_folder("fashion_mnist", broken(**changes))
    with pytest.raises(ValueError, match="no IDX files"):
        idx.read_idx_folder("cifar10", folder)
    with pytest.raises(ValueError, match="unknown dataset"):
        idx.read_idx_folder("kmnist", folder)
    with pytest.raises(TypeError, match="folder"):
        idx.find_idx_files(None)


def test_mnist_is_checked_by_counts_only():
    spec = registry.REAL_DATASETS["mnist"]
    assert spec.local_dir == "mnist" and spec.array_sha256 == ()
    train, test = spec.class_counts
    assert sum(train) == 60000 and sum(test) == 10000
    fashion = registry.REAL_DATASETS["fashion_mnist"]
    assert fashion.class_counts == ((6000,) * 10, (1000,) * 10)
    assert [k for k, _ in fashion.array_sha256] == list(idx.IDX_FILES)


# --- import into the cache ----------------------------------------------------


def test_import_writes_the_cache_atomically_and_keeps_it_on_damage(home, small_fashion):
    folder = write_folder(home / "usb", small_fashion)
    idx.import_idx_folder("fashion_mnist", folder)
    cache = registry.cache_path("fashion_mnist")
    assert npz_meta(cache) == {"origin": f"folder {folder.resolve()}"}
    before = cache.read_bytes(), cache.with_name(cache.name + ".json").read_bytes()
    bad = {**small_fashion, "x_test": small_fashion["x_test"] // 2}
    damaged = write_folder(home / "damaged", bad)
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte\.gz: SHA-256"):
        idx.import_idx_folder("fashion_mnist", damaged)
    after = cache.read_bytes(), cache.with_name(cache.name + ".json").read_bytes()
    assert after == before
    assert sorted(p.name for p in cache.parent.iterdir()) == [
        "fashion_mnist.npz",
        "fashion_mnist.npz.json",
    ]  # no temporary file left behind
    with pytest.raises(TypeError, match="origin"):
        idx.import_idx_folder("fashion_mnist", folder, origin=3)


def test_cli_fetch_from_folder(home, small_fashion, capsys):
    from cnnrnn_helpers.course import cli

    folder = write_folder(home / "usb" / "fashion-mnist", small_fashion)
    assert cli.main(["fetch", "fashion_mnist", "--from", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.split()[:2] == ["fashion_mnist", "ok"] and "verified" in out
    # The parent folder works too (a stick with mnist/ and fashion-mnist/).
    assert cli.main(["fetch", "fashion-mnist", "--from", str(home / "usb")]) == 0
    assert f"imported from {folder}" in capsys.readouterr().out
    cache = registry.cache_path("fashion_mnist")
    before = cache.read_bytes()
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b damaged")
    assert cli.main(["fetch", "fashion_mnist", "--from", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.split()[:2] == ["fashion_mnist", "FAILED"]
    assert "train-labels-idx1-ubyte.gz" in out and "the cache is unchanged" in out
    assert cache.read_bytes() == before
    assert cli.main(["fetch", "cifar10", "--from", str(folder)]) == 2
    assert "does not come as IDX files" in capsys.readouterr().err
    assert cli.main(["fetch", "--from", str(folder)]) == 2
    assert cli.main(["fetch", "mnist", "--from", str(home / "nothing")]) == 2
    with pytest.raises(TypeError, match="folder"):
        loaders.import_folder("mnist", 3)


# --- the source rule ------------------------------------------------------------


@pytest.mark.parametrize("mode", ["offline", "auto", "online"])
def test_local_copy_comes_before_the_network_in_every_mode(
    home, small_fashion, mode, capsys
):
    folder = write_folder(home / "datasets" / "fashion-mnist", small_fashion)
    ds = loaders.load_fashion_mnist(source=mode)
    label = f"folder {folder.resolve()}"
    assert ds.source == "real" and ds.source_label == f"real ({label})"
    assert f"[real data ({label})]" in ds.describe()
    np.testing.assert_array_equal(ds.x_test, small_fashion["x_test"])
    assert results.sources() == {"fashion_mnist": "real"}
    assert results.origins() == {"fashion_mnist": label}
    assert "WARNING" not in capsys.readouterr().err
    # Now cached: the folder is not read again, the origin is remembered.
    for path in folder.iterdir():
        path.unlink()
    again = loaders.load_fashion_mnist(source=mode, limit=5)
    assert again.source_label == f"real ({label})" and len(again.x_train) == 5


def test_damaged_local_copy_is_skipped_with_one_line(home, small_fashion, capsys):
    bad = {**small_fashion, "y_train": np.zeros(N_TRAIN, np.uint8)}
    write_folder(home / "datasets" / "fashion-mnist", bad)
    ds = loaders.load_fashion_mnist(source="offline", limit=10)
    assert ds.is_standin
    err = capsys.readouterr().err
    assert "ignoring the local copy of fashion_mnist" in err
    assert "items per class" in err
    assert "no cached or local real copy" in err
    assert not registry.cache_path("fashion_mnist").exists()


def test_cache_status_and_banner_list_the_local_copy(home, small_fashion, capsys):
    folder = write_folder(home / "datasets" / "fashion-mnist", small_fashion)
    assert config.datasets_dir() == (home / "datasets").resolve()
    assert config.local_datasets() == {"fashion-mnist": f"folder {folder.resolve()}"}
    status = {row["name"]: row for row in loaders.cache_status()}
    row = status["fashion_mnist"]
    assert not row["cached"] and row["local"] == str(folder.resolve())
    assert row["source"] == f"real (folder {folder.resolve()}, cached at first use)"
    assert status["mnist"]["local"] is None
    config.banner()
    assert f"fashion-mnist: real (folder {folder.resolve()})" in capsys.readouterr().out
    [report] = loaders.fetch("fashion_mnist", progress=False)
    assert (
        report["ok"] and report["message"] == f"imported from folder {folder.resolve()}"
    )
    row = {r["name"]: r for r in loaders.cache_status()}["fashion_mnist"]
    assert row["source"] == f"real (cached from folder {folder.resolve()})"


def test_local_copy_label_names_the_debian_package(tmp_path, monkeypatch):
    assert config.local_copy_label(tmp_path) == f"folder {tmp_path.resolve()}"
    info = tmp_path / "dpkg"
    info.mkdir()
    monkeypatch.setattr(config, "_DPKG_INFO", info)
    system = config.SYSTEM_DATASETS_DIR / "fashion-mnist"
    assert config.local_copy_label(system) == f"folder {system}"
    (info / "dataset-fashion-mnist.list").write_text("")
    label = "Debian package dataset-fashion-mnist"
    assert config.local_copy_label(system) == label
    monkeypatch.delenv("CNNRNN_DATASETS_DIR")
    assert config.datasets_dir() == config.SYSTEM_DATASETS_DIR
    with pytest.raises(TypeError, match="folder"):
        config.local_copy_label(None)


def test_results_show_the_origin(tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"
    monkeypatch.setenv(results.RESULTS_FILE_ENV, str(log))
    results.clear()
    origin = "Debian package dataset-fashion-mnist"
    results.note_source("fashion_mnist", "real", origin=origin)
    results.record("acc", 0.85, sheet=0.8577, data="fashion_mnist")
    assert results.table().rows[0][3] == f"fashion_mnist, real ({origin})"
    assert report.read_events(log)[1] == {"fashion_mnist": "real"}
    assert report.read_origins(log) == {"fashion_mnist": origin}
    doc = {
        "notebooks": [
            {
                "path": "notebooks/s05_x/t03.ipynb",
                "status": "ok",
                "sources": {"fashion_mnist": "real"},
                "origins": {"fashion_mnist": origin},
                "results": [r.as_dict() for r in results.records()],
            }
        ]
    }
    text = report.markdown_report(doc, summary=False)
    assert f"data: fashion_mnist: real ({origin})" in text
    assert f"fashion_mnist, real ({origin})" in text
    results.note_source("fashion_mnist", "stand-in")
    assert results.origins() == {} and report.read_origins(log) == {}
    with pytest.raises(TypeError, match="origin"):
        results.note_source("fashion_mnist", "real", origin=1)
    results.clear()


# --- the real set ----------------------------------------------------------------


@pytest.mark.skipif(
    not (SYSTEM_FASHION / "train-images-idx3-ubyte.gz").is_file(),
    reason="the Debian package dataset-fashion-mnist is not installed "
    "(apt-get install dataset-fashion-mnist)",
)
def test_real_fashion_mnist_from_the_debian_package(home, monkeypatch):
    arrays = idx.read_idx_folder("fashion_mnist", SYSTEM_FASHION)  # all checks
    assert arrays["x_train"].shape == (60000, 28, 28)
    assert arrays["x_test"].shape == (10000, 28, 28)
    assert np.bincount(arrays["y_train"]).tolist() == [6000] * 10
    assert np.bincount(arrays["y_test"]).tolist() == [1000] * 10
    want = dict(registry.REAL_DATASETS["fashion_mnist"].array_sha256)
    assert idx.array_sha256(arrays["y_test"]) == want["y_test"]
    monkeypatch.setenv("CNNRNN_DATASETS_DIR", str(config.SYSTEM_DATASETS_DIR))
    ds = loaders.load_fashion_mnist(source="offline", limit=100)
    assert ds.source == "real" and ds.source_label.startswith("real (")
    if Path("/var/lib/dpkg/info/dataset-fashion-mnist.list").is_file():
        assert ds.source_label == "real (Debian package dataset-fashion-mnist)"
    np.testing.assert_array_equal(ds.y_test, arrays["y_test"][:100])
    meta = json.loads(
        registry.cache_path("fashion_mnist").with_suffix(".npz.json").read_text()
    )
    assert meta["meta"]["origin"] == ds.info["local"]
