"""Plain snapshots of a session for the GUI, built on the database thread and handed to the GUI
thread: the GUI reads a copy, never the live state."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain.case import Case
from app.domain.result import Reason

if TYPE_CHECKING:  # typing only: the GUI imports this module and must start fast
    from app.ledger.events import SignedEvent
    from app.ledger.state import SessionState

STAGE_NAMES = {
    "created": "会话已建立", "opening": "开标", "checkin": "专家签到", "committee": "组建评标委员会",
    "preliminary": "初步评审", "scoring": "详细评审", "summary": "汇总与排序", "report": "评标报告",
    "archived": "已归档",
}

EVENT_NAMES = {
    "session.created": "建立会话", "stage.advanced": "进入环节", "supervisor.registered": "监督人员登记",
    "opening.read": "唱标", "opening.objection": "开标异议及答复", "opening.confirmed": "投标人代表确认",
    "opening.decrypted": "投标文件解密", "opening.decryption_failed": "投标文件解密失败",
    "screen.findings": "围标串标预警", "screen.decided": "预警认定",
    "identity.verified": "身份核验", "checkin": "专家签到", "letter.signed": "签署承诺书", "coi.declared": "回避声明",
    "recusal": "回避", "chair.elected": "推选组长", "preliminary.verdict": "初步评审结论", "score.set": "评分",
    "score.submitted": "提交评分", "score.reopened": "退回评分", "low_price.decided": "低价处理决定",
    "adjustment.recorded": "价格调整", "session.paused": "中止", "session.resumed": "恢复",
    "session.terminated": "终止", "incident.recorded": "情况记录", "supervision.signed_off": "监督签字",
    "recording.segment": "录像片段", "recording.fault": "录像故障", "checkpoint": "检查点",
    "report.signed": "报告签字", "report.drafted": "报告草稿", "report.dissent": "报告签字（有不同意见）",
    "report.refused_to_sign": "拒签说明", "report.finalized": "报告定稿",
    "time.extension_requested": "申请延长评标时间", "time.extension_decided": "评标时间决定",
    "session.archived": "归档",
    "venue.added": "添加副场", "venue.link_lost": "副场链路中断", "venue.link_restored": "副场链路恢复",
    "venue.outcome": "招标人决定（R-SUS-6）", "venue.message": "场地间消息",
}


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    role: str
    checked_in: bool
    identity: bool
    letter: bool
    declared: bool
    conflict: bool
    recused: bool
    submitted: bool
    chair: bool
    conflict_with: tuple[str, ...] = ()  # the bidders a declared conflict is with (none in older ledgers)
    certificate: str | None = None  # the subject of the certificate bound at check-in (None: none)


@dataclass(frozen=True)
class EventView:
    time: str
    who: str
    type: str
    name: str
    summary: str
    rejected: str | None = None


@dataclass(frozen=True)
class DecryptionFile:
    """One encrypted bid file at opening (R-OPEN-10): ``state`` pending | decrypted | failed | late | excluded."""

    bidder: str
    path: str
    scheme: str  # cms | passphrase
    state: str
    cause: str | None = None
    outcome: str | None = None  # revoked | withdrawn (failed)
    detail: str = ""
    plaintext_sha256: str | None = None


@dataclass(frozen=True)
class DecryptionView:
    files: tuple[DecryptionFile, ...]
    deadline: str | None  # ISO UTC, when the time limit ends (None before the opening started)
    minutes: int

    def pending_bidders(self) -> list[str]:
        return list(dict.fromkeys(f.bidder for f in self.files if f.state == "pending"))


def _references(state: SessionState) -> dict[str, dict[str, list[dict[str, Any]]]]:
    from app.domain.bid_files import references

    return references(state.package)


def decryption_view(state: SessionState) -> DecryptionView | None:
    """The encrypted bid files and their decryption (None: the package has none)."""
    from datetime import timedelta

    from app.domain.decryption import DEFAULT_LIMIT_MINUTES, encrypted_documents
    from app.ledger.events import parse_stamp

    listed = encrypted_documents(state.package)
    case = state.base_case
    if not listed or case is None:
        return None
    late = {b.id for b in case.bidders if b.submitted_at > case.deadline}
    failed = state.decryption_failures()
    schemes = {str(d.get("path")): str(d["encryption"].get("scheme")) for b in state.package.get("bidders", [])
               for d in b.get("documents") or [] if isinstance(d, dict) and isinstance(d.get("encryption"), dict)}
    files = []
    for bidder, path, _cipher, _plain in listed:
        entry = state.decryption.get(path)
        scheme = schemes.get(path, "")
        if entry is not None and entry["ok"]:
            files.append(DecryptionFile(bidder, path, scheme, "decrypted", plaintext_sha256=entry["plaintext_sha256"]))
        elif entry is not None:
            files.append(DecryptionFile(bidder, path, scheme, "failed", entry["cause"], entry["outcome"],
                                        entry.get("detail", "")))
        elif bidder in late:
            files.append(DecryptionFile(bidder, path, scheme, "late"))
        elif bidder in failed:
            files.append(DecryptionFile(bidder, path, scheme, "excluded", outcome=failed[bidder]["outcome"]))
        else:
            files.append(DecryptionFile(bidder, path, scheme, "pending"))
    minutes = case.decryption_minutes or DEFAULT_LIMIT_MINUTES
    deadline = None
    if state.opening_started is not None:
        deadline = (parse_stamp(state.opening_started) + timedelta(minutes=minutes)).isoformat()
    return DecryptionView(tuple(files), deadline, minutes)


@dataclass(frozen=True)
class RoomView:
    """Everything the pages show, copied out of the folded state."""

    case: Case
    stage: str
    stage_name: str
    paused: bool
    terminated: bool
    chair: str | None
    members: tuple[MemberView, ...]
    opening: dict[str, Any] | None
    verdicts: dict[str, dict[str, dict[str, Any]]]
    scores: dict[str, dict[str, dict[str, str]]]
    comments: dict[str, dict[str, dict[str, str]]]
    letters: dict[str, dict[str, Any]]
    composition: tuple[Reason, ...]
    result: dict[str, Any] | None
    events: tuple[EventView, ...]
    incidents: tuple[dict[str, Any], ...]
    sign_offs: tuple[dict[str, Any], ...]
    low_price_decisions: dict[str, str] = field(default_factory=dict)
    reserves: tuple[dict[str, Any], ...] = ()  # drawn reserves not yet seated
    replacements: dict[str, dict[str, Any]] = field(default_factory=dict)
    explanations: dict[str, dict[str, Any]] = field(default_factory=dict)
    report: Any = None  # app.services.report.ReportStatus: the draft, each member's act, final, archived
    make_up: tuple[Reason, ...] = ()  # R-COM size/make-up of the members checked in, whoever chairs
    readiness: tuple[Reason, ...] = ()  # members who cannot evaluate yet (check-in, letter, declaration)
    screen: dict[str, Any] | None = None  # the collusion screen's findings and the committee's decisions
    decryption: DecryptionView | None = None  # R-OPEN-10: the encrypted bid files at opening (None: none)
    # 评分索引: bidder → criterion → [{"path", "page", "note"}] the package gives (docs/bid-package.md)
    references: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def member(self, member_id: str) -> MemberView:
        return next(m for m in self.members if m.id == member_id)

    def unconfirmed(self) -> list[str]:
        """The bidders read at the opening whose representative has not confirmed the opening record (R-OPEN-7),
        in package order: neither a late bid (refused, R-OPEN-2) nor a bid excluded at the decryption (deemed
        revoked or withdrawn, R-OPEN-10: no price of it is read) awaits a confirmation."""
        opening = self.opening
        if opening is None:
            return []
        skip = set(opening["late"]) | set(opening.get("excluded", {})) | set(opening["confirmations"])
        return [b.id for b in self.case.bidders if b.id not in skip]

    @property
    def active_members(self) -> tuple[MemberView, ...]:
        return tuple(m for m in self.members if not m.recused)


def _summary(body: dict[str, Any]) -> str:
    keys = ("member", "expert", "bidder", "criterion", "score", "to", "decision", "reason", "text", "signer",
            "objection", "finding", "collusion", "documents", "path", "cause")
    parts = [f"{k}={body[k]}" for k in keys if k in body and isinstance(body[k], (str, int, bool))]
    if isinstance(body.get("bidders"), list) and body["bidders"]:  # whom a declared conflict is with
        parts.append("bidders=" + "、".join(str(b) for b in body["bidders"]))
    return "，".join(parts)[:160]


def build_view(state: SessionState, composition: list[Reason], events: list[SignedEvent], recent: int = 200,
               result: dict[str, Any] | None = None, make_up: list[Reason] | None = None,
               readiness: list[Reason] | None = None) -> RoomView:
    """A snapshot of the state; ``events`` (the store's, in append order) give the last ``recent`` lines
    of the event stream for the supervisor."""
    case = state.base_case
    assert case is not None
    members = tuple(
        MemberView(
            id=m.id, name=m.name, role=m.role, checked_in=m.author is not None, identity=m.id in state.identities,
            letter=m.id in state.letters, declared=m.id in state.declarations,
            conflict=bool(state.declarations.get(m.id, {}).get("conflict")), recused=m.recused,
            submitted=m.submitted, chair=m.id == state.chair,
            conflict_with=tuple(state.declarations.get(m.id, {}).get("bidders", ())),
            certificate=m.certificate,
        )
        for m in state.members.values()
    )
    rejected = {r.event_id: r.message for r in state.rejections}
    stream = tuple(
        EventView(time=ev.time, who=state.label(ev.author), type=ev.type, name=EVENT_NAMES.get(ev.type, ev.type),
                  summary=_summary(ev.body), rejected=rejected.get(ev.id))
        for ev in events[-recent:]
    )
    return RoomView(
        case=case, stage=str(state.stage), stage_name=STAGE_NAMES.get(str(state.stage), str(state.stage)),
        paused=state.paused, terminated=state.terminated, chair=state.chair, members=members,
        opening=copy.deepcopy(state.opening), verdicts=copy.deepcopy(state.verdicts),
        scores=copy.deepcopy(state.scores),
        comments=copy.deepcopy(state.score_comments), letters=copy.deepcopy(state.letters),
        composition=tuple(composition), result=result, events=stream, incidents=tuple(copy.deepcopy(state.incidents)),
        sign_offs=tuple(copy.deepcopy(state.sign_offs)), low_price_decisions=dict(state.low_price_decisions),
        reserves=tuple(dict(r) for r in state.package.get("reserves", [])
                       if isinstance(r, dict) and r.get("id") not in state.members),
        replacements=copy.deepcopy(state.replacements), explanations=copy.deepcopy(state.explanations),
        make_up=tuple(make_up or ()), readiness=tuple(readiness or ()), screen=copy.deepcopy(state.screen),
        decryption=decryption_view(state), references=_references(state),
    )
