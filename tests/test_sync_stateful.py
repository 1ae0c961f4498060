"""Convergence through bundles, checked with a hypothesis state machine: 3 to 5 replicas edit,
delete and undelete the same records with skewed clocks; bundles are written to one device or
to all, then delivered late, twice, out of order or never. After that, exports by the vectors
each device proved, passed around until nothing is new, bring every replica to the same dump."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jsd_desk.domain.clock import now_ms
from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import sync
from jsd_desk.services.workspace import Workspace
from jsd_desk.store.verify import verify_store
from tests.sync_support import MakeWorkspace, dump, introduce, receive, send

NAMES = [("ana", "facilitator"), ("bako", "facilitator"), ("chaibou", "facilitator"),
         ("dodo", "facilitator"), ("mina", "analyst")]
WORDS = ["vol", "drogue", "circulation", "foncier", "racket", "sécurité", "jeunesse"]
HOUR_MS = 3600 * 1000
RECORDS = 3


class Replicas(RuleBasedStateMachine):
    def __init__(self, make: MakeWorkspace, folder: Path) -> None:
        super().__init__()
        self.make, self.folder = make, folder
        self.replicas: list[Workspace] = []
        self.skew: list[int] = []
        self.ids = [str(uuid.uuid4()) for _ in range(RECORDS)]
        self.session = str(uuid.uuid4())
        self.mail: list[tuple[int | None, Path]] = []  # (addressee, or None for all; file)

    @initialize(n=st.integers(3, 5))
    def start(self, n: int) -> None:
        self.skew = [0] * n
        for i in range(n):
            name, role = NAMES[i]
            self.replicas.append(self.make(name, role, clock=self._clock(i)))
        introduce(*self.replicas)

    def _clock(self, i: int) -> Callable[[], int]:
        return lambda: now_ms() + self.skew[i]

    def pick(self, i: int) -> int:
        return i % len(self.replicas)

    @rule(who=st.integers(0, 4), rec=st.integers(0, RECORDS - 1),
          field=st.sampled_from(["theme", "description"]), word=st.sampled_from(WORDS),
          skew_hours=st.integers(-6, 6))
    def edit(self, who: int, rec: int, field: str, word: str, skew_hours: int) -> None:
        i = self.pick(who)
        self.skew[i] = skew_hours * HOUR_MS
        value = f"{word} ({self.replicas[i].keys.info.name})"
        with self.replicas[i].store.transaction() as tx:
            if tx.get("concern", self.ids[rec]) is None:
                tx.create("concern", {"session_id": self.session, "description": value,
                                      field: value}, record_id=self.ids[rec])
            else:
                tx.put("concern", self.ids[rec], {field: value})

    @rule(who=st.integers(0, 4), rec=st.integers(0, RECORDS - 1), undo=st.booleans())
    def delete_or_undelete(self, who: int, rec: int, undo: bool) -> None:
        with self.replicas[self.pick(who)].store.transaction() as tx:
            if undo:
                tx.undelete("concern", self.ids[rec])
            else:
                tx.delete("concern", self.ids[rec])

    @rule(src=st.integers(0, 4), dst=st.integers(0, 4), everything=st.booleans())
    def export(self, src: int, dst: int, everything: bool) -> None:
        s, d = self.pick(src), self.pick(dst)
        if s == d and not everything:
            return
        target = None if everything else self.replicas[d]
        self.mail.append((None if everything else d, send(self.replicas[s], target, self.folder)))

    @precondition(lambda self: bool(self.mail))
    @rule(which=st.integers(0, 10_000), reader=st.integers(0, 4))
    def deliver(self, which: int, reader: int) -> None:
        """Any bundle written so far, to its addressee (again, late, out of order)."""
        to, path = self.mail[which % len(self.mail)]
        r = to if to is not None else self.pick(reader)
        try:
            receive(self.replicas[r], path)
        except InputRefused as exc:  # an --all bundle offered to its own writer
            assert "made by this device" in exc.message() or "not addressed" in exc.message()

    @invariant()
    def nothing_held(self) -> None:
        # Skews stay under the hold-aside limit and exports never leave gaps.
        for ws in self.replicas:
            assert sync.held_count(ws) == 0

    def teardown(self) -> None:
        if not self.replicas:
            return
        try:
            self._converge()
        finally:
            for ws in self.replicas:
                ws.close()

    def _converge(self) -> None:
        n = len(self.replicas)
        for _round in range(4):  # around the ring, by proven vectors, until nothing is new
            new = 0
            for i in range(n):
                src, dst = self.replicas[i], self.replicas[(i + 1) % n]
                new += receive(dst, send(src, dst, self.folder)).new
            if not new and _round:
                break
        dumps = [dump(ws) for ws in self.replicas]
        assert all(d == dumps[0] for d in dumps), "replicas differ after a full exchange"
        with self.replicas[0].store.engine.begin() as conn:
            report = verify_store(conn)
        assert report.ok, report.problems


def test_replicas_converge_whatever_happens_to_the_bundles(make_workspace: MakeWorkspace,
                                                           tmp_path: Path) -> None:
    run_state_machine_as_test(
        lambda: Replicas(make_workspace, tmp_path),  # type: ignore[arg-type]
        settings=settings(stateful_step_count=22, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture]))
