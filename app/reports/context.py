"""What the documents print, taken from the folded ledger only (pure: no I/O, no clock).

A document is a function of a :class:`SessionState` (and the images the ledger names by hash), so the
same ledger always renders the same PDF bytes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain.result import Result
from app.ledger.state import SessionState

if TYPE_CHECKING:  # the layout (reportlab) loads when a document is rendered, not with the report desk's checks
    from app.reports.layout import PageMeta

PROFILES = {"procurement": "政府采购", "engineering": "工程建设"}
ROLES = {"expert": "评审专家", "owner_rep": "采购人（招标人）代表"}
GROUPS = {"technical": "技术", "commercial": "商务", "price": "价格"}
TYPES = {"subjective": "主观", "objective": "客观"}
STAGE_NAMES = {"created": "创建", "opening": "开标", "checkin": "签到", "committee": "组建评标委员会",
               "preliminary": "初步评审", "scoring": "详细评审", "summary": "汇总", "report": "评标报告",
               "archived": "归档"}


@dataclass
class Context:
    state: SessionState
    result: Result
    images: dict[str, bytes] = field(default_factory=dict)  # sha256 -> image bytes found beside the ledger

    @property
    def case(self) -> Any:
        assert self.state.base_case is not None
        return self.state.base_case

    def checkpoint(self) -> str:
        """The footer's checkpoint: the one the report draft names, else the latest."""
        if self.state.report.checkpoint:
            return self.state.report.checkpoint
        if self.state.checkpoints:
            mark = self.state.checkpoints[-1]
            return f"#{mark.size} {mark.root}"
        return "（尚无检查点）"

    def meta(self, title: str, landscape: bool = False) -> PageMeta:
        from app.reports.layout import PageMeta

        case = self.case
        return PageMeta(title, f"{case.project.name}（{case.project.code}）",
                        f"标段（包）{case.lot.code} {case.lot.name}", self.checkpoint(), landscape)

    def member_name(self, member_id: str) -> str:
        member = self.state.members.get(member_id)
        return f"{member.name}（{member_id}）" if member else member_id

    def bidder_name(self, bidder_id: str) -> str:
        return next((b.name for b in self.case.bidders if b.id == bidder_id), bidder_id)

    def committee(self) -> list[Any]:
        """Members of the package in order, then any reserve who took a withdrawn member's seat."""
        package = [m.id for m in self.case.committee]
        ordered = [self.state.members[i] for i in package if i in self.state.members]
        return ordered + [m for i, m in self.state.members.items() if i not in package]

    def active(self) -> list[Any]:
        return [m for m in self.committee() if not m.recused]

    def signature_png(self, member_id: str) -> bytes | None:
        encoded = self.state.report.images.get(member_id)
        return base64.b64decode(encoded) if encoded else None

    def image(self, sha256: str | None) -> bytes | None:
        return self.images.get(sha256) if sha256 else None


def profile_name(profile: str) -> str:
    return PROFILES.get(profile, profile)


def money(value: Any) -> str:
    """A decimal string with thousands separators (元), as printed in Chinese tables."""
    if value is None:
        return "—"
    text = str(value)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}" if whole.isdigit() else whole
    return f"{sign}{grouped}.{frac}" if frac else f"{sign}{grouped}"
