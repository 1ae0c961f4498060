"""Slowing down repeated wrong passphrases and recovery keys (issue 7).

After a few failures each new attempt must wait twice as long as the last, up to a ceiling. The
count lives in the data folder (``unlock-failures.json``, written atomically) so closing the
app or rerunning the command does not reset it; a right answer resets it.

This protects against guessing through the app. Someone who copies the key file can guess
offline: against that, only Argon2id's cost and a good passphrase help.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jsd_desk.domain.errors import WrongPassphrase
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_

FILE_NAME = "unlock-failures.json"
FREE_ATTEMPTS = 3  # typing mistakes happen; the first few failures cost nothing
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 15 * 60.0


class TooManyAttempts(WrongPassphrase):
    """An attempt came before the wait after the last failure was over."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(N_("Too many wrong attempts: wait {seconds} seconds, then try again."),
                         seconds=max(1, math.ceil(wait_s)))
        self.wait_s = wait_s


@dataclass
class Throttle:
    path: Path
    clock: Callable[[], float] = time.time

    @classmethod
    def for_data_dir(cls, root: Path, clock: Callable[[], float] = time.time) -> Throttle:
        return cls(Path(root) / FILE_NAME, clock)

    def _read(self) -> tuple[int, float]:
        try:
            data = json.loads(self.path.read_bytes())
            return max(0, int(data["failures"])), float(data["last"])
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged counter must not let an attacker start from zero: count it as the
            # threshold reached, so the next attempt waits the first delay.
            return FREE_ATTEMPTS + 1, self.clock()

    @staticmethod
    def delay_after(failures: int) -> float:
        """How long to wait after ``failures`` consecutive failures."""
        if failures < FREE_ATTEMPTS:
            return 0.0
        return min(MAX_DELAY_S, FIRST_DELAY_S * 2.0 ** (failures - FREE_ATTEMPTS))

    def wait_remaining(self) -> float:
        failures, last = self._read()
        remaining = last + self.delay_after(failures) - self.clock()
        # A clock set back must not lock the user out for longer than the delay itself.
        return max(0.0, min(remaining, self.delay_after(failures)))

    def check(self) -> None:
        """Raise TooManyAttempts while the wait is not over."""
        remaining = self.wait_remaining()
        if remaining > 0:
            raise TooManyAttempts(remaining)

    def failed(self) -> int:
        failures, _last = self._read()
        failures += 1
        # A folder that cannot be written (read-only media) still answers "wrong passphrase".
        with contextlib.suppress(OSError):
            atomic_write(self.path, json.dumps({"failures": failures, "last": self.clock()})
                         .encode())
        return failures

    def succeeded(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def attempt(self, unlock: Callable[[], bytes]) -> bytes:
        """Run ``unlock`` (which raises WrongPassphrase on a wrong secret) under the throttle."""
        self.check()
        try:
            result = unlock()
        except TooManyAttempts:
            raise
        except WrongPassphrase:
            self.failed()
            raise
        self.succeeded()
        return result
