"""The documents' faces: Song body with a Hei fallback for what the GB 2312 Song face lacks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from app.archive.textcheck import pages_text
from app.reports.fonts import HEI, fallback, missing_glyphs, song_lacks
from app.reports.layout import PageMeta, build, styles, table, text


def test_characters_the_song_face_lacks_are_set_in_hei() -> None:
    assert not song_lacks("评标报告 ABC 123，。")
    assert song_lacks("王堃") and song_lacks("张喆")
    assert fallback("王堃与张喆") == f'王<font name="{HEI}">堃</font>与张<font name="{HEI}">喆</font>'
    assert text("a < b 堃") == f'a &lt; b <font name="{HEI}">堃</font>'
    assert missing_glyphs("王堃喆") == set()  # Hei draws them


def test_a_rare_name_prints_and_extracts(tmp_path: Path) -> None:
    story = [Paragraph(text("专家：王堃、张喆"), styles()["body"]),
             table(["姓名", "身份"], [["王堃", "评审专家"], ["张喆", "评审专家"]], [200, 200])]
    pdf = build(story, PageMeta("测试", "项目", "标段", "#1 " + "0" * 64))
    extracted = "".join(pages_text(pdf))
    assert "王堃" in extracted and "张喆" in extracted and "评审专家" in extracted
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed (CI has it)")
    (tmp_path / "t.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYiMicroHei" in fonts and "BousungEG-Light-GB" in fonts
