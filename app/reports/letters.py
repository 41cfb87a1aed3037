"""承诺书: each commitment letter as signed (template wording by version hash, handwritten signature image)."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph

from app.reports.context import Context
from app.reports.layout import build, gap, styles, text
from app.reports.templates import commitment_letter

TITLE = "评标专家信用承诺书"


def signature_image(png: bytes | None, width_mm: float = 40, height_mm: float = 14) -> Flowable | None:
    """The handwritten signature scaled into a box, keeping its aspect ratio."""
    if not png:
        return None
    image = Image(io.BytesIO(png), mask="auto")
    scale = min(width_mm * mm / image.imageWidth, height_mm * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def render(ctx: Context) -> bytes | None:
    """One page per signed letter; ``None`` when the ledger records no letter."""
    case, st = ctx.case, styles()
    letters = ctx.state.letters
    if not letters:
        return None
    story: list[Flowable] = []
    for signer, letter in letters.items():
        member = ctx.state.members.get(signer)
        role = "评标委员会成员" if member is not None else "监督人员"
        stamp = str(letter.get("time", ""))
        filled = commitment_letter(project_name=case.project.name, project_code=case.project.code,
                                   lot_code=case.lot.code, lot_name=case.lot.name, venue=f"评标室 {ctx.state.room}",
                                   signer_name=member.name if member else signer, signer_role=role,
                                   signed_at=f"{stamp[:10]} {stamp[11:16]}（UTC）")
        lines = filled.text.splitlines()
        story.append(Paragraph(text(lines[0] if lines else TITLE), st["title"]))
        for line in lines[1:]:
            story.append(Paragraph(text(line), st["body"]) if line.strip() else gap(2))
            if line.startswith("承诺人"):
                image = signature_image(ctx.image(letter.get("image_sha256")))
                if image is not None:
                    image.hAlign = "LEFT"
                    story.append(image)
                elif letter.get("image_sha256"):
                    story.append(Paragraph(text(f"（手写签名图像 SHA-256 {letter['image_sha256']}，图像未随账本提供）"),
                                           st["small"]))
        story.append(gap(6))
        if letter.get("template_sha256") != filled.version_sha256:
            story.append(Paragraph(text(f"注：签署的模板 {letter.get('template')} 的 SHA-256 为 "
                                        f"{letter.get('template_sha256')}，"
                                        "与本页所用模板不同。"), st["small"]))
        story.append(Paragraph(text(f"账本事件 {letter.get('event')}；模板 {letter.get('template')}，"
                                    f"SHA-256 {letter.get('template_sha256')}"), st["small"]))
        story.append(PageBreak())
    return build(story[:-1], ctx.meta(TITLE))
