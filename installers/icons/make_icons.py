"""Draw the EvalRoom icon: 评 in white on a seal-red rounded square with an inner seal border.

Writes resources/icons/evalroom.svg (the glyph as a path from the shipped WenQuanYi Micro Hei, so the SVG needs
no font), evalroom-256.png, evalroom-48.png and evalroom.ico (Windows), rendered from that SVG by QtSvg.
Run: python installers/icons/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttf"
OUT = ROOT / "resources" / "icons"
RED = "#B7282E"  # 印泥红, seal-paste red
SIZE = 256  # the SVG's user space
GLYPH_BOX = 136  # the glyph's ink fits in this square, centred


def glyph_path(char: str = "评") -> str:
    font = TTFont(FONT, fontNumber=0)
    glyphs = font.getGlyphSet()
    name = font.getBestCmap()[ord(char)]
    bounds = BoundsPen(glyphs)
    glyphs[name].draw(bounds)
    x0, y0, x1, y1 = bounds.bounds
    scale = GLYPH_BOX / max(x1 - x0, y1 - y0)
    dx = (SIZE - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (SIZE + (y1 - y0) * scale) / 2 + y0 * scale  # font units grow upwards, SVG units downwards
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
    glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, dx, dy)))
    return pen.getCommands()


def svg() -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">\n'
        f'  <title>EvalRoom 评标室</title>\n'
        f'  <rect x="8" y="8" width="240" height="240" rx="36" fill="{RED}"/>\n'
        f'  <rect x="22" y="22" width="212" height="212" rx="24" fill="none" stroke="#FFFFFF" stroke-width="5"/>\n'
        f'  <path fill="#FFFFFF" d="{glyph_path()}"/>\n'
        f'</svg>\n'
    )


def png(svg_file: Path, size: int) -> Image.Image:
    """Rasterise the SVG with Qt's SVG renderer (Pillow has no SVG reader), so PNG, ICO and SVG are one drawing."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg_file)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(buffer.data())))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "evalroom.svg").write_text(svg(), encoding="utf-8")
    for size in (256, 48):
        png(OUT / "evalroom.svg", size).save(OUT / f"evalroom-{size}.png", optimize=True)
    sizes = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    png(OUT / "evalroom.svg", 256).save(OUT / "evalroom.ico", sizes=sizes)
    print(f"wrote {', '.join(sorted(p.name for p in OUT.iterdir()))}")


if __name__ == "__main__":
    main()
