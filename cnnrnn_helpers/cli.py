"""The ``cnnrnn`` command: run notebooks, fetch data, check the installation.

Sub-commands
------------
``cnnrnn run [--profile P] [--data D] [--out DIR] [--timeout S] [NOTEBOOK ...]``
    Execute notebooks (default: all, quick profile, auto data), write executed
    copies, ``results.json`` (every recorded figure, data sources, times) and
    an HTML index under ``build/``, print a progress line at least every
    minute and a wall-time table; exit status 1 if any notebook failed.
``cnnrnn results FILE.json [NOTEBOOK ...]``
    Print the recorded figures of a run as Markdown.
``cnnrnn times RESULTS.json [...]``
    Maintainers: write the measured run time of every profile into each
    notebook's title cell.
``cnnrnn refresh [NOTEBOOK ...]``
    Maintainers: re-execute notebooks in smoke/offline and store only the
    outputs of ``# NBVAL_CHECK_OUTPUT`` cells.
``cnnrnn fetch [DATASET ...]``
    Download real datasets into the data home ahead of a lab session.
``cnnrnn doctor``
    Versions, GPU, data home and what is cached.
``cnnrnn slides [--from DIR] [--out DIR] [NOTEBOOK ...]``
    Tutors: reveal.js decks (presenter style, formulas typeset offline) from
    executed notebooks, with an index page.
``cnnrnn student [--out DIR] [NOTEBOOK ...]``
    Tutors: write student copies (solution code -> stubs, answers -> blanks).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, config

__all__ = ["main"]


def _cmd_run(args: argparse.Namespace) -> int:
    from . import notebooks

    paths = notebooks.find_notebooks(args.notebooks)
    root = notebooks.notebooks_dir().parent
    out_dir = (
        Path(args.out) if args.out else root / "build" / f"{args.profile}-{args.data}"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.timeout is None:
        timeout = limit = notebooks.DEFAULT_TIMEOUTS[args.profile]
    else:
        timeout = limit = args.timeout or None
    print(
        f"cnnrnn run: {len(paths)} notebook(s), profile={args.profile}, "
        f"data={args.data}, cell time limit "
        f"{f'{limit} s' if limit else 'none'}, output in {out_dir}",
        flush=True,
    )
    results = notebooks.run_notebooks(
        paths,
        profile=args.profile,
        data=args.data,
        out_dir=out_dir,
        html_copies=not args.no_html,
        timeout=timeout,
        echo=lambda msg: print(msg, flush=True),
    )
    index = notebooks.write_index(
        results, out_dir, profile=args.profile, data=args.data
    )
    summary = notebooks.write_results_json(
        results, out_dir, profile=args.profile, data=args.data
    )
    print()
    print(notebooks.format_table(results, root))
    print(f"\nexecuted copies, {summary.name} and {index.name}: {out_dir}")
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAILED {r.path.name}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_results(args: argparse.Namespace) -> int:
    import json

    from . import results

    path = Path(args.file)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a results.json file: {exc}") from exc
    if not isinstance(doc, dict) or "notebooks" not in doc:
        raise ValueError(f"{path} is not a results.json file (no 'notebooks' key)")
    print(results.markdown_report(doc, only=args.notebooks), end="")
    return 0


def _cmd_times(args: argparse.Namespace) -> int:
    import json

    import nbformat

    from . import notebooks

    docs = []
    for name in args.files:
        try:
            docs.append(json.loads(Path(name).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read {name} as results.json: {exc}") from exc
    data_modes = sorted({doc.get("data", "?") for doc in docs})
    times = notebooks.measured_times(docs)
    root = notebooks.notebooks_dir().parent
    for path in notebooks.find_notebooks():
        rel = path.relative_to(root).as_posix()
        nb = nbformat.read(path, as_version=4)
        if notebooks.stamp_run_times(nb, times.get(rel, {}), data="/".join(data_modes)):
            nbformat.write(nb, path)
            print(f"{rel}: {notebooks.run_time_line(times.get(rel, {}))}")
    return 0


def _timeout(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole seconds (0 = no limit), got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected seconds >= 0, got {value}")
    return value


def _cmd_refresh(args: argparse.Namespace) -> int:
    from . import notebooks

    status = 0
    for path in notebooks.find_notebooks(args.notebooks):
        result = notebooks.refresh_notebook(path)
        state = "stored" if result.ok else f"FAILED (file unchanged): {result.error}"
        print(f"{path.name}: {result.seconds:.1f} s, {state}", flush=True)
        status |= not result.ok
    return int(status)


def _human(size: int | None) -> str:
    from .data.download import human_size

    return human_size(size) if size else "-"


def _cmd_fetch(args: argparse.Namespace) -> int:
    from . import data

    reports = data.fetch(args.datasets or None, progress=not args.quiet)
    failed = 0
    for rep in reports:
        if rep.get("ok"):
            print(
                f"{rep['name']:16s} ok      {_human(rep.get('size'))}  "
                f"{rep.get('message', '')}".rstrip()
            )
        else:
            failed += 1
            print(f"{rep['name']:16s} FAILED  {rep.get('error', '')}")
    print(f"data home: {config.data_home()}")
    return 1 if failed else 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    import importlib.metadata as md

    config.banner()
    for pkg in (
        "tensorflow-datasets",
        "tensorflow-hub",
        "openml",
        "scipy",
        "scikit-learn",
        "matplotlib",
        "nbval",
        "nbclient",
    ):
        try:
            version = md.version(pkg)
        except md.PackageNotFoundError:
            version = "NOT INSTALLED"
        print(f"  {pkg:20s} {version}")
    try:
        import keras

        major = int(keras.__version__.split(".")[0])
        if major < 3:
            print(
                "PROBLEM: Keras 2 is installed; this pack needs Keras 3 "
                "(pip install 'keras>=3')."
            )
    except ImportError:
        print("PROBLEM: keras is not installed.")
    from . import data

    print("\ndatasets:")
    for row in data.cache_status():
        state = "cached" if row.get("cached") else "not cached"
        print(
            f"  {row['name']:16s} {state:11s} {_human(row.get('size'))}  "
            f"{row.get('source', '')}".rstrip()
        )
    return 0


def _cmd_student(args: argparse.Namespace) -> int:
    from . import notebooks, student

    paths = notebooks.find_notebooks(args.notebooks)
    out_dir = (
        Path(args.out) if args.out else notebooks.notebooks_dir().parent / "student"
    )
    written = student.write_student_versions(paths, out_dir)
    for path in written:
        print(path)
    print(f"{len(written)} student notebook(s) in {out_dir}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``cnnrnn`` command."""
    parser = argparse.ArgumentParser(
        prog="cnnrnn", description="cnnrnn course pack: notebooks, data, checks."
    )
    parser.add_argument("--version", action="version", version=f"cnnrnn {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute notebooks and print a time table")
    run.add_argument("--profile", choices=config.PROFILES, default="quick")
    run.add_argument("--data", choices=config.DATA_MODES, default="auto")
    run.add_argument("--out", help="output folder (default build/<profile>-<data>)")
    run.add_argument("--no-html", action="store_true", help="skip the HTML copies")
    run.add_argument(
        "--timeout",
        type=_timeout,
        default=None,
        metavar="SECONDS",
        help="time limit per cell, 0 = none (default: none in full, 900 otherwise)",
    )
    run.add_argument(
        "notebooks", nargs="*", help="notebook paths or path fragments (default: all)"
    )
    run.set_defaults(func=_cmd_run)

    res = sub.add_parser("results", help="print a run's results.json as Markdown")
    res.add_argument("file", help="a results.json written by cnnrnn run")
    res.add_argument("notebooks", nargs="*", help="only notebooks matching these")
    res.set_defaults(func=_cmd_results)

    times = sub.add_parser(
        "times", help="maintainers: stamp measured run times into the title cells"
    )
    times.add_argument("files", nargs="+", help="results.json files of cnnrnn run")
    times.set_defaults(func=_cmd_times)

    refresh = sub.add_parser(
        "refresh", help="maintainers: store checked outputs (smoke, offline)"
    )
    refresh.add_argument("notebooks", nargs="*")
    refresh.set_defaults(func=_cmd_refresh)

    fetch = sub.add_parser("fetch", help="download real datasets into the cache")
    fetch.add_argument("datasets", nargs="*", help="dataset names (default: all)")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    fetch.set_defaults(func=_cmd_fetch)

    doctor = sub.add_parser("doctor", help="versions, GPU, cache status")
    doctor.set_defaults(func=_cmd_doctor)

    stud = sub.add_parser(
        "student", help="tutors: write student copies without the solutions"
    )
    stud.add_argument("--out", help="output folder (default student/)")
    stud.add_argument("notebooks", nargs="*")
    stud.set_defaults(func=_cmd_student)

    from . import slides

    slides.cli_add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cnnrnn`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (FileNotFoundError, ValueError) as exc:
        print(f"cnnrnn: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
