"""One bot process per database: a second poller of the same token would steal updates.

Telegram answers two pollers with 409 and aiogram just retries, so both would keep
running. An exclusive ``flock`` on a file beside the database is released by the kernel
when its process dies, even by ``kill -9``, so a crash never blocks the next start.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder  # the running process's pid, as it wrote it


class InstanceLock:
    def __init__(self, database_path: Path) -> None:
        self.path = Path(f"{database_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunning(
                f"Another bot process (pid {holder}) already runs on {self.path.parent}; "
                "stop it first: two pollers of one token steal each other's updates.",
                holder,
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
