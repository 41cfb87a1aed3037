"""Build the Debian package of EvalRoom from the PyInstaller bundle (`make deb`).

    python installers/debian/build_deb.py dist/evalroom --out dist      # -> dist/evalroom_<version>_<arch>.deb

Layout: the bundle under /opt/evalroom, /usr/bin/evalroom (a relative symlink, so the package also works when
installed with `dpkg --instdir`), one .desktop file per mode under /usr/share/applications and the icon in the
hicolor theme. `Depends:` lists the system libraries the bundle's Qt xcb platform loads from the system (the bundle
carries Qt itself); PyInstaller already bundles the rest. Built with `dpkg-deb --root-owner-group` (no fakeroot),
zstd-compressed by default (about 10 s; xz takes minutes for the 555 MB bundle).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
PREFIX = "opt/evalroom"

#: (file stem, Name, Name[zh_CN], Comment, the arguments after `evalroom`)
MODES = [
    ("console", "EvalRoom Console", "评标室主控", "Bid opening, check-in, committee and summary (room console)",
     "--mode console"),
    ("workstation", "EvalRoom Expert Workstation", "专家评审终端", "An expert's review and scoring terminal",
     "--mode workstation"),
    ("supervisor", "EvalRoom Supervisor", "现场监督", "On-site supervision: progress, ledger, cameras, pause",
     "--mode supervisor"),
    ("venue", "EvalRoom Remote Venue Console", "副场主控台",
     "A remote venue's console in a cross-region evaluation (远程异地评标)", "--mode venue"),
    ("demo", "EvalRoom Demo", "评标室演示", "The demo session with all roles in one window", "demo"),
]

#: The system libraries Qt's xcb platform plugin and Qt GUI need (not bundled by PyInstaller, or kept to the system's
#: copy: GL/EGL and X11 must match the machine's drivers and server). Alternatives cover Debian 12 and 13 /
#: Ubuntu 24.04.
DEPENDS = [
    "libc6 (>= 2.34)", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libdbus-1-3",
    "libglib2.0-0t64 | libglib2.0-0", "libx11-6", "libx11-xcb1", "libxcb1", "libxkbcommon0", "libxkbcommon-x11-0",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-xkb1",
    "libxcb-shape0", "libxcb-randr0", "libxcb-xinerama0", "libxcb-render0", "libxcb-shm0", "libxcb-sync1",
    "libxcb-xfixes0", "libxcb-util1",
]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("build_deb: no version in pyproject.toml")
    return match.group(1)


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()


def desktop_entry(stem: str, name: str, name_zh: str, comment: str, args: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        f"Name={name}",
        f"Name[zh_CN]={name_zh}",
        f"Comment={comment}",
        f"Exec=/usr/bin/evalroom {args}",
        "Icon=evalroom",
        "Terminal=false",
        "Categories=Office;",
        "StartupNotify=true",
        "StartupWMClass=evalroom",
        "",
    ])


def control(size_kib: int) -> str:
    return "\n".join([
        "Package: evalroom",
        f"Version: {version()}",
        f"Architecture: {architecture()}",
        "Maintainer: EvalRoom <evalroom@localhost>",
        f"Installed-Size: {size_kib}",
        f"Depends: {', '.join(DEPENDS)}",
        "Recommends: ffmpeg",
        "Section: misc",
        "Priority: optional",
        "Description: EvalRoom 评标室 - bid opening and expert evaluation rooms",
        " On-site bid opening, expert check-in, independent scoring, the signed",
        " evaluation report and the archive of a public-resource trading center",
        " evaluation room. Room console, expert workstation, supervisor and demo.",
        "",
    ])


def build(bundle: Path, out: Path, compression: str = "zstd") -> Path:
    if not (bundle / "evalroom").is_file():
        raise SystemExit(f"build_deb: {bundle} is no PyInstaller bundle (no {bundle / 'evalroom'}); "
                         "run `make dist` first")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evalroom-deb-") as tmp:
        tree = Path(tmp) / "root"
        shutil.copytree(bundle, tree / PREFIX, symlinks=True)
        (tree / "usr/bin").mkdir(parents=True)
        (tree / "usr/bin/evalroom").symlink_to(f"../../{PREFIX}/evalroom")
        apps = tree / "usr/share/applications"
        apps.mkdir(parents=True)
        for stem, *fields in MODES:
            (apps / f"evalroom-{stem}.desktop").write_text(desktop_entry(stem, *fields), encoding="utf-8")
        icons = tree / "usr/share/icons/hicolor"
        for folder, source in (("scalable", "evalroom.svg"), ("256x256", "evalroom-256.png"),
                               ("48x48", "evalroom-48.png")):
            (icons / folder / "apps").mkdir(parents=True)
            shutil.copy2(ICONS / source, icons / folder / "apps" / ("evalroom" + Path(source).suffix))
        size_kib = sum(p.lstat().st_size for p in tree.rglob("*")) // 1024 + 1
        (tree / "DEBIAN").mkdir()
        (tree / "DEBIAN/control").write_text(control(size_kib), encoding="utf-8")
        for path in tree.rglob("*"):  # a root-owned package with ordinary permissions, whatever the umask was
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or path.stat().st_mode & 0o111 else 0o644)
        target = out / f"evalroom_{version()}_{architecture()}.deb"
        level = ["-z6"] if compression == "xz" else []
        command = ["dpkg-deb", "--root-owner-group", f"-Z{compression}", *level, "--build", str(tree), str(target)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the EvalRoom .deb from the PyInstaller bundle.")
    parser.add_argument("bundle", type=Path, help="the bundle folder (dist/evalroom)")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="folder for the .deb (default: dist)")
    parser.add_argument("--compression", choices=("zstd", "xz", "gzip", "none"), default="zstd",
                        help="dpkg-deb compression: zstd (default; dpkg of Debian >= 12 / Ubuntu >= 21.10 reads it), "
                             "xz (older dpkg; minutes on 2 cores), none (the tests)")
    args = parser.parse_args(argv)
    print(build(args.bundle, args.out, args.compression))
    return 0


if __name__ == "__main__":
    sys.exit(main())
