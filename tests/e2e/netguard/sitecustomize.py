"""Loaded by the e2e test's Streamlit server (PYTHONPATH): records every outbound network attempt.

A Python audit hook sees each ``socket.connect``, ``socket.sendto`` and ``socket.getaddrinfo`` of
the server process. Any peer that is not the loopback interface (or a Unix socket) is appended, one
line each, to the file named by ``ADVISOR_NETGUARD_LOG`` and the call is refused with an
``OSError``, so a look-up such as Streamlit's external-IP check can neither succeed nor go unseen.
"""

from __future__ import annotations

import os
import sys

_LOG = os.environ.get("ADVISOR_NETGUARD_LOG")
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", None}


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in _LOCAL_NAMES:
        return True
    return isinstance(host, str) and (host.startswith("127.") or host == "::ffff:127.0.0.1")


def _record(event: str, target) -> None:
    with open(_LOG, "a", encoding="utf-8") as f:  # noqa: PTH123 - no pathlib import in the hook
        f.write(f"{event} {target!r}\n")
    raise OSError(f"network access blocked by the e2e test: {event} {target!r}")


def _hook(event: str, args: tuple) -> None:
    if event in ("socket.connect", "socket.sendto"):
        address = args[1]
        if isinstance(address, tuple) and address and not _is_local(address[0]):
            _record(event, address)
    elif event == "socket.getaddrinfo":
        if not _is_local(args[0]):
            _record(event, args[:2])


if _LOG:
    sys.addaudithook(_hook)
