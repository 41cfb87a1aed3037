"""The check-in desk's identity rule (R-CHK-1), the same at the main console and a remote venue's console."""

from __future__ import annotations

from typing import Any, Protocol

from app.ledger.state import SessionState


class FaceCheck(Protocol):
    def check(self, photo: bytes) -> tuple[int, str]: ...


def check_identity(state: SessionState, member: str, photo: bytes, faces: FaceCheck, error: type[Any],
                   venue: str | None = None) -> int:
    """The member is on the drawn list, sits at ``venue`` (a remote venue's desk), is not checked in yet,
    and the photo shows exactly one face; returns the face count. Otherwise raises ``error(zh, en)``."""
    if member not in state.members:
        raise error(f"{member} 不在本项目抽取的专家名单中", f"{member} is not on the drawn list")
    if venue is not None and state.remote.venue_of(member) != venue:
        raise error(f"{member} 不在本副场就座", f"{member} does not sit at this venue")
    if state.members[member].author is not None:
        raise error(f"{member} 已完成签到", f"{member} is already checked in")
    try:
        count = faces.check(photo)[0]
    except ValueError:
        raise error("照片无法识别，请重新拍照", "the photo cannot be decoded") from None
    if count != 1:
        raise error(f"照片中应只有签到专家一人（检测到 {count} 张人脸），请重新拍照",
                    f"the photo must show exactly one face, it shows {count}")
    return count


def check_reissue(state: SessionState, member: str, error: type[Any], venue: str | None = None) -> None:
    """A new one-time code for ``member`` (his PC or login is lost): on the drawn list, seated at ``venue`` (a
    remote venue's desk), not recused, checked in already, the session not archived. Otherwise ``error(zh, en)``."""
    entry = state.members.get(member)
    if entry is None:
        raise error(f"{member} 不在本项目抽取的专家名单中", f"{member} is not on the drawn list")
    if venue is not None and state.remote.venue_of(member) != venue:
        raise error(f"{member} 不在本副场就座", f"{member} does not sit at this venue")
    if entry.recused:
        raise error(f"{member} 已回避，不再发放登录码", f"{member} has recused: no login code")
    if entry.author is None:
        raise error(f"{member} 尚未签到，请先核验身份并签到", f"{member} is not checked in yet")
    if state.stage == "archived":
        raise error("会话已归档，不再发放登录码", "the session is archived: no login code")
