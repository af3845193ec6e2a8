"""One friendly line, not a traceback, for a stub that runs in a notebook.

A student copy's exercise cells hold ``raise NotImplementedError(...)``
stubs.  When such a cell runs, IPython would print a traceback; the cells
after it then fail with ``NameError`` for what the stub should have
defined.  :func:`install_stub_handler` (called when :mod:`cnnrnn_helpers.checks`
is imported, which every task notebook's Setup cell does) registers an
IPython custom exception handler that prints one line instead:

* ``NotImplementedError`` raised in a notebook cell (a stub), or by a check
  that called a stub: "✗ not written yet: ...";
* ``NameError`` raised in a notebook cell: "✗ NameError: name 'x' is not
  defined (line 3): run the cells above first; one may still be a stub".

Anything raised inside library code keeps its full traceback (a genuine
``NotImplementedError`` of Keras, say).  The cell still fails, so "Run all",
nbclient and nbgrader stop or score it as before.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install_stub_handler", "one_line"]

_STUB = (
    "not written yet: this cell still has its `raise NotImplementedError` stub; "
    "replace it by your code (the comment above it says what to define), then "
    "run the cell again"
)


def _cell_frame(tb: Any) -> Any:
    """The innermost traceback entry that is notebook code, or None."""
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "ipykernel_" in name or name.startswith("<ipython-input"):
            found = tb
        tb = tb.tb_next
    return found


def _innermost(tb: Any) -> Any:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def one_line(etype: type, value: BaseException, tb: Any) -> str | None:
    """The one line shown for this exception, or None for a full traceback."""
    from .framework import NotWritten

    if isinstance(value, NotWritten):
        return f"✗ {value}"
    cell = _cell_frame(tb)
    last = _innermost(tb)
    if cell is None or last is None or cell is not last:
        return None  # raised in library code: keep the traceback
    if issubclass(etype, NotImplementedError):
        return f"✗ {_STUB}"
    if issubclass(etype, NameError):
        return (
            f"✗ NameError: {value} (line {cell.tb_lineno}): run the cells above "
            "first; one of them may still be a stub or may have stopped early"
        )
    return None


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset=None):
    line = one_line(etype, value, tb)
    if line is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    stb = [f"\x1b[31m{line}\x1b[0m"]
    shell._showtraceback(etype, value, stb)
    return stb


def install_stub_handler() -> bool:
    """Register the handler in the running IPython shell (no-op elsewhere).

    Returns
    -------
    bool
        True if it is registered now (or was already); False outside
        IPython or when another custom handler is in place.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    current = getattr(shell, "custom_exceptions", ())
    if current and getattr(shell, "_cnnrnn_stub_handler", False) is False:
        return False  # someone else's handler: leave it
    shell.set_custom_exc((NotImplementedError, NameError), _handler)
    shell._cnnrnn_stub_handler = True
    return True
