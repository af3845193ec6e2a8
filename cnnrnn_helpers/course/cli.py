"""The ``cnnrnn`` command: run notebooks, fetch data, check the installation.

Sub-commands
------------
``cnnrnn run [--profile P] [--data D] [--out DIR] [--timeout S] [NOTEBOOK ...]``
    Execute notebooks (default: all, quick profile, auto data), write executed
    copies, ``results.json`` (every recorded figure, data sources, times) and
    an HTML index under ``build/``, print a progress line at least every
    minute and a wall-time table; exit status 1 if any notebook failed.
``cnnrnn results FILE.json [NOTEBOOK ...] [--out FILE.md]``
    Print (or write) the recorded figures of a run as Markdown: a whole page
    with the total, the five slowest notebooks and, per notebook, where it
    differs from its sheet (``docs/RESULTS.md`` is made this way).
``cnnrnn merge A.json B.json ... --out FILE.json [--remark TEXT]``
    Merge the results of a run split over several output folders.
``cnnrnn times RESULTS.json [...]``
    Maintainers: write the measured run time of every profile into each
    notebook's title cell.
``cnnrnn refresh [NOTEBOOK ...]``
    Maintainers: re-execute notebooks in smoke/offline and store only the
    outputs of ``# NBVAL_CHECK_OUTPUT`` cells.
``cnnrnn fetch [DATASET ...] [--from DIR]``
    Download real datasets into the data home ahead of a lab session, or
    import a folder of IDX files (MNIST, Fashion-MNIST) with ``--from``.
``cnnrnn doctor``
    Versions, GPU, data home and what is cached.
``cnnrnn slides [--from DIR] [--out DIR] [NOTEBOOK ...]``
    Tutors: reveal.js decks (presenter style, formulas typeset offline) from
    executed notebooks, with an index page.
``cnnrnn student [--out DIR] [NOTEBOOK ...]``
    Tutors: write student copies (solution code -> stubs, answers -> blanks).
``cnnrnn course DIR [NOTEBOOK ...]``
    Tutors: lay out an nbgrader course (``source/<sheet>/...``, config).
``cnnrnn grades DIR ASSIGNMENT [--out PAGE]``
    Tutors: per-check class summary of an autograded assignment (HTML).
``cnnrnn marks [--write] [--outline] [NOTEBOOK ...]``
    Maintainers: add the answer marks and slide tags a notebook still lacks.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__, config

__all__ = ["main"]


def _cmd_run(args: argparse.Namespace) -> int:
    from . import runner

    paths = runner.find_notebooks(args.notebooks)
    root = runner.notebooks_dir().parent
    if args.present:  # the kernels inherit it: large type for a shared screen
        os.environ["CNNRNN_PRESENT"] = "1"
    default = root / "build" / f"{args.profile}-{args.data}"
    out_dir = Path(args.out).resolve() if args.out else default
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.timeout is None:
        timeout = limit = runner.DEFAULT_TIMEOUTS[args.profile]
    else:
        timeout = limit = args.timeout or None
    print(
        f"cnnrnn run: {len(paths)} notebook(s), profile={args.profile}, "
        f"data={args.data}, cell time limit "
        f"{f'{limit} s' if limit else 'none'}, output in {out_dir}",
        flush=True,
    )

    # results.json (merged by notebook path) and the index are updated after
    # every notebook, so a long run that is interrupted keeps what it finished
    def save(done):
        runner.write_index(done, out_dir, profile=args.profile, data=args.data)
        return runner.write_results_json(
            done, out_dir, profile=args.profile, data=args.data
        )

    results = runner.run_notebooks(
        paths,
        profile=args.profile,
        data=args.data,
        out_dir=out_dir,
        html_copies=not args.no_html,
        timeout=timeout,
        echo=lambda msg: print(msg, flush=True),
        on_result=save,
    )
    summary = save(results)
    index = out_dir / "index.html"
    print()
    print(runner.format_table(results, root))
    print(f"\nexecuted copies, {summary.name} and {index.name}: {out_dir}")
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAILED {r.path.name}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_results(args: argparse.Namespace) -> int:
    import json

    from . import report as results
    from . import runner

    path = Path(args.file)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a results.json file: {exc}") from exc
    if not isinstance(doc, dict) or "notebooks" not in doc:
        raise ValueError(f"{path} is not a results.json file (no 'notebooks' key)")
    differs = runner.notebook_differs(nb["path"] for nb in doc["notebooks"])
    command = f"cnnrnn results {args.file} --out {args.out}" if args.out else None
    if args.notebooks:
        text = results.markdown_report(doc, only=args.notebooks, differs=differs)
        if command:
            text = f"<!-- generated by `{command}`; do not edit -->\n\n" + text
    else:
        text = runner.results_page(doc, differs=differs, command=command)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    else:
        print(text, end="")
    return 0


def _read_results(names: Sequence[str]) -> list[dict]:
    """Load ``results.json`` files; ValueError naming the file that fails."""
    import json

    docs = []
    for name in names:
        try:
            docs.append(json.loads(Path(name).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read {name} as results.json: {exc}") from exc
    return docs


def _cmd_merge(args: argparse.Namespace) -> int:
    import json

    from . import runner

    docs = _read_results(args.files)
    merged = runner.merge_documents(docs, remark=args.remark or "")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    n = len(merged["notebooks"])
    print(f"wrote {out}: {n} notebook(s) from {len(docs)} file(s)")
    return 0


def _cmd_times(args: argparse.Namespace) -> int:

    import nbformat

    from . import runner

    docs = _read_results(args.files)
    data_modes = sorted({doc.get("data", "?") for doc in docs})
    times = runner.measured_times(docs)
    root = runner.notebooks_dir().parent
    for path in runner.find_notebooks():
        rel = path.relative_to(root).as_posix()
        nb = nbformat.read(path, as_version=4)
        if runner.stamp_run_times(nb, times.get(rel, {}), data="/".join(data_modes)):
            nbformat.write(nb, path)
            print(f"{rel}: {runner.run_time_line(times.get(rel, {}))}")
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
    from . import runner

    status = 0
    for path in runner.find_notebooks(args.notebooks):
        result = runner.refresh_notebook(path)
        state = "stored" if result.ok else f"FAILED (file unchanged): {result.error}"
        print(f"{path.name}: {result.seconds:.1f} s, {state}", flush=True)
        status |= not result.ok
    return int(status)


def _human(size: int | None) -> str:
    from ..data.download import human_size

    return human_size(size) if size else "-"


def _cmd_fetch(args: argparse.Namespace) -> int:
    from .. import data

    reports = data.fetch(
        args.datasets or None, progress=not args.quiet, folder=args.from_dir
    )
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
    from .. import data

    print("\ndatasets:")
    for row in data.cache_status():
        state = "cached" if row.get("cached") else "not cached"
        print(
            f"  {row['name']:16s} {state:11s} {_human(row.get('size'))}  "
            f"{row.get('source', '')}".rstrip()
        )
    return 0


def _cmd_student(args: argparse.Namespace) -> int:
    from . import grading, runner, student

    paths = runner.find_notebooks(args.notebooks)
    out_dir = (
        Path(args.out) if args.out else runner.notebooks_dir().parent / "student"
    )
    written = student.write_student_versions(
        paths, out_dir, make_copy=grading.student_copy
    )
    for path in written:
        print(path)
    print(f"{len(written)} student notebook(s) in {out_dir}")
    return 0


def _cmd_slides(args: argparse.Namespace) -> int:
    from . import slides

    return slides.slides_command(
        args.notebooks,
        from_dir=args.from_dir,
        out=args.out,
        profile=args.profile,
        data=args.data,
    )


def _cmd_course(args: argparse.Namespace) -> int:
    from . import grading

    written = grading.write_course(args.dir, args.notebooks)
    print(f"{len(written) - 1} notebook(s) and {written[-1].name} in {args.dir}")
    return 0


def _cmd_grades(args: argparse.Namespace) -> int:
    from . import grading

    page = grading.check_summary(args.dir, args.assignment, out=args.out)
    print(f"per-check summary: {page}")
    return 0


def _cmd_marks(args: argparse.Namespace) -> int:
    from . import marks

    changed = marks.mark_notebooks(
        args.notebooks, write=args.write, show_outline=args.outline
    )
    verb = "changed" if args.write else "to change (run again with --write)"
    print(f"{changed} notebook(s) {verb}")
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
        "--present",
        action="store_true",
        help="figures in the presenter style (CNNRNN_PRESENT=1), e.g. for decks",
    )
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
    res.add_argument("--out", help="write the Markdown to this file instead")
    res.set_defaults(func=_cmd_results)

    merge = sub.add_parser(
        "merge", help="merge results.json files of a run split over several folders"
    )
    merge.add_argument("files", nargs="+", help="results.json files; later ones win")
    merge.add_argument("--out", required=True, help="the merged results.json")
    merge.add_argument(
        "--remark", help="one line on how the run was made, printed under the total"
    )
    merge.set_defaults(func=_cmd_merge)

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
    fetch.add_argument(
        "--from",
        dest="from_dir",
        metavar="DIR",
        help="import the named datasets' IDX files from DIR (verified) instead",
    )
    fetch.set_defaults(func=_cmd_fetch)

    doctor = sub.add_parser("doctor", help="versions, GPU, cache status")
    doctor.set_defaults(func=_cmd_doctor)

    stud = sub.add_parser(
        "student",
        help="tutors: write student copies without the solutions",
        description="Write a student copy of each notebook: the code a student "
        "writes becomes a `raise NotImplementedError` stub, written answers and "
        "every marked result are blanked, outputs are dropped; the self-check "
        "cells stay, so students see at once whether their work is right. The "
        "copies are what `nbgrader generate_assignment` gives (see `cnnrnn "
        "course` for grading). Hand `student/` (or one sheet's folder) to the "
        "students; they open it in Jupyter with the pack installed and hand "
        "back the filled notebooks.",
    )
    stud.add_argument("--out", help="output folder (default student/)")
    stud.add_argument(
        "notebooks", nargs="*", help="notebook paths or fragments (default: all)"
    )
    stud.set_defaults(func=_cmd_student)

    course = sub.add_parser(
        "course",
        help="tutors: lay out an nbgrader course (source/<sheet>/...)",
        description="Write an nbgrader course folder: source/<sheet>/<task>.ipynb "
        "with nbgrader cell marks, nbgrader_config.py and a README; then run "
        "nbgrader generate_assignment / autograde / generate_feedback there.",
    )
    course.add_argument("dir", help="the course folder (created)")
    course.add_argument(
        "notebooks", nargs="*", help="notebook paths or fragments (default: all)"
    )
    course.set_defaults(func=_cmd_course)

    grades = sub.add_parser(
        "grades",
        help="tutors: per-check class summary of an autograded assignment",
        description="Which self-check failed how often across the class, the most "
        "common message and an example, as an HTML page with a bar chart "
        "(after `nbgrader autograde`).",
    )
    grades.add_argument("dir", help="the course folder")
    grades.add_argument("assignment", help="e.g. s01_keras_cnn_rnn")
    grades.add_argument(
        "--out", help="the page (default <dir>/reports/<assignment>-checks.html)"
    )
    grades.set_defaults(func=_cmd_grades)

    marks = sub.add_parser(
        "marks",
        help="maintainers: add missing answer marks and slide tags to notebooks",
        description="Add the answer marks (from the answer key) and slide tags a "
        "notebook still lacks; without --write only print the plan.",
    )
    marks.add_argument("--write", action="store_true", help="apply the marks")
    marks.add_argument(
        "--outline", action="store_true", help="print each notebook's slide outline"
    )
    marks.add_argument("notebooks", nargs="*", help="notebook paths or fragments")
    marks.set_defaults(func=_cmd_marks)

    deck = sub.add_parser(
        "slides",
        help="tutors: reveal.js decks from executed notebooks",
        description="Write a reveal.js deck per notebook (presenter style, formulas "
        "typeset offline) and an index page; notebooks without an executed copy "
        "are run first.",
    )
    deck.add_argument(
        "--from",
        dest="from_dir",
        help="output folder of `cnnrnn run` with executed copies "
        "(default build/quick-auto if it exists)",
    )
    deck.add_argument("--out", help="deck folder (default build/slides)")
    deck.add_argument(
        "--profile",
        choices=config.PROFILES,
        default="smoke",
        help="profile for notebooks without an executed copy (default smoke)",
    )
    deck.add_argument(
        "--data",
        choices=config.DATA_MODES,
        default="offline",
        help="data mode for notebooks without an executed copy (default offline)",
    )
    deck.add_argument("notebooks", nargs="*", help="notebook paths or fragments")
    deck.set_defaults(func=_cmd_slides)
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
