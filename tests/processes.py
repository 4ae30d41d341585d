"""Which processes exist, read from Linux's /proc: for tests that check a pool leaves nothing behind."""
from __future__ import annotations

import os
import time

import pytest


def children_of(pid: int) -> set[int]:
    """The living (not zombie) processes whose parent is ``pid``."""
    if not os.path.isdir("/proc"):
        pytest.skip("needs Linux's /proc")
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                state, parent = stat.read().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):  # ended while being read
            continue
        if int(parent) == pid and state != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet collected by its parent, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone(pids: set[int], seconds: float = 20) -> bool:
    """Wait until none of ``pids`` runs; False if one still does after ``seconds``."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
