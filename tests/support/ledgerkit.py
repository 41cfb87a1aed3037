"""Sessions for the ledger tests: a small case played through the real services into a real SQLite file."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import casebuilder as cb
from app.crypto.keys import SigningKey
from app.ledger.events import SignedEvent
from app.services.session import Session
from app.services.simulate import _package
from app.services.templates import commitment_letter

STAGE_PATH = ("opening", "checkin", "committee", "preliminary", "scoring", "summary", "report")


@dataclass
class Kit:
    session: Session
    room: SigningKey
    supervisor: SigningKey
    members: dict[str, SigningKey]
    document: dict[str, Any]
    path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> Any:
        return self.session.state

    def events(self) -> list[SignedEvent]:
        return self.session.store.events()

    def score_all(self, submit: bool = True) -> None:
        for member, key in self.members.items():
            for bidder, row in self.document["scores"].get(member, {}).items():
                for criterion, score in row.items():
                    self.session.set_score(key, member, bidder, criterion, score)
            if submit:
                self.session.submit(key, member)

    def finish(self) -> None:
        """From scoring (all submitted) to the archive."""
        self.session.advance("summary")
        self.session.advance("report")
        self.session.archive()


def document(**overrides: Any) -> dict[str, Any]:
    return cb.case(**overrides)


def start(tmp_path: Path, doc: dict[str, Any] | None = None, upto: str = "scoring",
          name: str = "session.sqlite", at_opening: Callable[[Session], Any] | None = None) -> Kit:
    """A session played up to the start of stage ``upto`` (default: scoring is open); ``at_opening`` runs once
    the bids are read (e.g. to record the collusion screen)."""
    doc = copy.deepcopy(doc or document())
    chairs = [m["id"] for m in doc["committee"] if m.get("chair")]
    elected = chairs[0] if len(chairs) == 1 else None
    room = SigningKey.generate()
    session = Session.create(tmp_path / name, "TEST-001-01", "test-room", _package(doc, elected), room)
    supervisor = SigningKey.generate()
    session.register_supervisor("监督员", supervisor)
    members = {m["id"]: SigningKey.generate() for m in doc["committee"]}
    kit = Kit(session, room, supervisor, members, doc, tmp_path / name)
    for stage in STAGE_PATH:
        if stage == upto:
            break
        session.advance(stage)
        if stage == "opening":
            session.read_bids()
            if at_opening is not None:
                at_opening(session)
        if stage == "checkin":
            letter = commitment_letter()
            for member_id, key in members.items():
                session.check_in(member_id, key)
                session.sign_letter(key, member_id, letter.name, letter.version_sha256)
                session.declare(key, member_id, conflict=False)
        if stage == "committee" and elected:
            session.elect_chair(elected)
    else:
        raise ValueError(upto)
    session.advance(upto)
    if upto == "opening":
        session.read_bids()
        if at_opening is not None:
            at_opening(session)
    return kit


def played(tmp_path: Path, doc: dict[str, Any] | None = None) -> Kit:
    """A whole archived session: every score, every submission."""
    kit = start(tmp_path, doc)
    kit.score_all()
    kit.finish()
    return kit


def archived(folder: Path, doc: dict[str, Any] | None = None) -> Kit:
    """A played session laid out as an archived folder: session.sqlite, ledger/, keys/room.pub.pem; the store is
    closed (the kit's keys stay usable)."""
    kit = played(folder, doc)
    kit.session.export(folder / "ledger")
    (folder / "keys").mkdir()
    (folder / "keys" / "room.pub.pem").write_bytes(kit.room.public.to_pem())
    kit.session.close()
    return kit


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
