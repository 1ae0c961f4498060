"""Start-up, the one way the CLI and the GUI begin work on a store (DESIGN §6).

In order: an interrupted re-key or restore is finished (``unlock``), the master key is unwrapped
under the throttle, the store is opened (``workspace``), then SQLite's quick check runs and the
day's backup is made (``backup.startup``). A damaged database raises ``DamagedStore`` with the way
forward, and leaves nothing open; a backup that cannot be made only warns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jsd_desk.services.backup import startup as check_and_back_up
from jsd_desk.services.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class Started:
    workspace: Workspace
    warning: str | None  # for the status bar or stderr: the day's backup could not be made


def start(root: Path, passphrase: str, *, database_url: str | None = None) -> Started:
    """Unlock and open the store in ``root``, then check it (see the module's docstring)."""
    return check_opened(open_workspace(root, passphrase, database_url=database_url))


def check_opened(workspace: Workspace) -> Started:
    """The start-up check of a store opened another way (just created, unlocked with the
    recovery key, restored). On failure the workspace is closed before the error goes up."""
    try:
        report = check_and_back_up(workspace.data_dir, workspace.store.engine)
    except BaseException:
        workspace.close()
        raise
    return Started(workspace, report.warning())
