"""The Inno Setup script (installers/windows/evalroom.iss) cannot be compiled here; these tests hold it to the
PyInstaller layout and to the promise that an uninstall keeps the session data and archives."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installers" / "windows" / "evalroom.iss"
SPEC = ROOT / "installers" / "pyinstaller" / "evalroom.spec"
#: the shortcut name (Chinese custom message) and the `evalroom` arguments of each mode
MODES = {"console": ("评标室主控", "--mode console"), "workstation": ("专家评审终端", "--mode workstation"),
         "supervisor": ("现场监督", "--mode supervisor"), "venue": ("副场主控台", "--mode venue"),
         "demo": ("演示", "demo")}


def sections(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1).lower()
            found.setdefault(current, [])
        else:
            found.setdefault(current, []).append(line)
    return found


def entry(line: str) -> dict[str, str]:
    """`Name: "x"; Flags: a b` -> {"name": "x", "flags": "a b"} (Inno's parameter syntax)."""
    fields = {}
    for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
        key, value = part
        fields[key.lower()] = value.strip().strip('"').replace('""', '"')
    return fields


def defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', text, re.M))


def expand(value: str, names: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: names[m.group(1)], value)


@pytest.fixture(scope="module")
def script() -> tuple[dict[str, list[str]], dict[str, str]]:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the .iss must be UTF-8 with a BOM, or Inno Setup misreads the Chinese"
    text = raw.decode("utf-8-sig")
    return sections(text), defines(text)


def spec_bundle_name_and_exe() -> tuple[str, str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    calls = {node.func.id: {k.arg: k.value for k in node.keywords} for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("EXE", "COLLECT")}
    return ast.literal_eval(calls["COLLECT"]["name"]), ast.literal_eval(calls["EXE"]["name"])


def makefile_distpath() -> str:
    match = re.search(r"^dist:.*\n\t.*PyInstaller.*--distpath (\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"),
                      re.M)
    assert match, "the Makefile has no `dist` target running PyInstaller with --distpath"
    return match.group(1)


def test_files_come_from_the_pyinstaller_output_folder(script) -> None:  # noqa: ANN001
    parsed, names = script
    bundle_name, exe_name = spec_bundle_name_and_exe()
    bundle = (ROOT / makefile_distpath() / bundle_name).resolve()
    sources = {}
    for line in parsed["files"]:
        fields = entry(line)
        source = (ISS.parent / expand(fields["source"], names).replace("\\", "/")).resolve()
        sources[str(source.relative_to(bundle)) if source.is_relative_to(bundle) else str(source)] = fields
    # PyInstaller 6 one-folder layout: the program, and everything else under _internal (its contents_directory)
    assert set(sources) == {f"{exe_name}.exe", "_internal/*"}, sources
    assert sources[f"{exe_name}.exe"]["destdir"] == "{app}"
    internal = sources["_internal/*"]
    assert internal["destdir"] == "{app}\\_internal"
    assert {"recursesubdirs", "createallsubdirs"} <= set(internal["flags"].split())
    assert names["AppExe"] == f"{exe_name}.exe"
    # else _internal is not where the script takes it
    assert "contents_directory" not in SPEC.read_text(encoding="utf-8")


def test_per_machine_install_with_both_languages(script) -> None:  # noqa: ANN001
    parsed, _names = script
    setup = dict(line.split("=", 1) for line in parsed["setup"])
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert setup["PrivilegesRequired"] == "admin"
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).is_file()
    languages = [entry(line) for line in parsed["languages"]]
    assert [lang["name"] for lang in languages] == ["chinesesimplified", "english"]
    assert languages[0]["messagesfile"].endswith("ChineseSimplified.isl")


def test_a_shortcut_per_mode_with_its_arguments(script) -> None:  # noqa: ANN001
    parsed, names = script
    messages = dict(line.split("=", 1) for line in parsed["custommessages"])
    menu = [entry(line) for line in parsed["icons"] if entry(line)["name"].startswith("{autoprograms}")]
    found = {}
    for icon in menu:
        label = re.search(r"\{cm:(\w+)\}$", icon["name"])
        assert label, icon
        assert expand(icon["filename"], names) == "{app}\\evalroom.exe"
        found[messages[f"chinesesimplified.{label.group(1)}"]] = icon["parameters"]
        assert f"english.{label.group(1)}" in messages
    assert found == dict(MODES.values())


def test_the_uninstaller_never_touches_the_data_folder(script) -> None:  # noqa: ANN001
    """Sessions and archives live in the per-user/per-machine data folder (platformdirs, or the settings'
    data_folder), never under {app}: nothing the uninstaller deletes may be outside {app}."""
    parsed, names = script
    data_constants = ("{localappdata}", "{userappdata}", "{commonappdata}", "{userdocs}", "{commondocs}",
                      "{userprofile}", "{%", "{sd}", "{win}", "{autoappdata}")
    for line in parsed.get("uninstalldelete", []) + parsed.get("installdelete", []):
        target = expand(entry(line)["name"], names)
        assert target == "{app}" or target.startswith("{app}\\"), f"deletes outside the program folder: {line}"
        assert ".." not in target and not target.lower().startswith(data_constants), line
        assert target != "{app}" or entry(line)["type"] == "dirifempty", (
            f"would delete the whole program folder: {line}")
    assert not any("uninsalwaysuninstall" in line for line in parsed.get("dirs", []))
    code = "\n".join(parsed.get("code", []))
    assert not re.search(r"\b(DelTree|DeleteFile|RemoveDir)\b", code), "no [Code] deletes on uninstall"
