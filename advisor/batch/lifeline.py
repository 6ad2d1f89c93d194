"""Workers die with the driver: Linux parent-death signals for the forkserver and pool workers.

The local pool runs ``driver -> forkserver -> workers``. A pool worker holds both ends of its call
queue, so it never sees end-of-file when the driver is killed (SIGKILL, OOM killer); the
forkserver and the resource tracker then live on too. :func:`die_with_parent` asks the kernel to
send SIGKILL to the calling process when its parent dies (``prctl(PR_SET_PDEATHSIG)``):

* imported by the forkserver (it is in its preload list), it ties the forkserver to the driver;
* called by each worker's initializer, it ties the worker to the forkserver.

The resource tracker exits on its own once every process holding its pipe is gone. On systems
without ``prctl`` (not Linux) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> bool:
    """Ask for SIGKILL when the parent process dies; True when the kernel accepted it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        ok = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    # the parent may have died before prctl: then we are already orphaned
    if ok and expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)
    return ok


def _in_forkserver() -> bool:
    main = sys.modules.get("__main__")
    return (
        "multiprocessing.forkserver" in sys.modules
        and sys.argv[:1] == ["-c"]
        and getattr(main, "__file__", None) is None
    )


#: Set by the driver before it starts the pool: the forkserver checks that this process is still
#: its parent once its parent-death signal is armed (the driver may have died while the
#: forkserver was starting; the kernel then never sends the signal).
DRIVER_PID_ENV = "ADVISOR_BATCH_DRIVER_PID"


def _driver_pid() -> int | None:
    try:
        return int(os.environ[DRIVER_PID_ENV])
    except (KeyError, ValueError):
        return None


if _in_forkserver():
    die_with_parent(_driver_pid())
