"""`simulate --member-certs/--room-cert` and `verify BAG --trust …` with members of three CAs (RSA, ECDSA P-256, SM2)
in one session, the certificates made by the openssl command as an outside checker makes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from opensslpki import PASSPHRASE, Ca, make_ca

pytestmark = pytest.mark.slow  # two sessions simulated and archived (about 30 s)

CASE = Path(__file__).resolve().parents[3] / "examples" / "procurement-goods-comprehensive.json"
MEMBERS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]
ALGS = ["rsa", "ecdsa", "sm2"]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Ca]]:
    base = tmp_path_factory.mktemp("member-pki")
    cas = {alg: make_ca(base / alg, f"{alg.upper()} CA", alg) for alg in ALGS}
    (base / "certs").mkdir()
    for i, member in enumerate(MEMBERS):  # E1 RSA, E2 ECDSA, E3 SM2, E4 RSA, …
        cas[ALGS[i % 3]].issue(f"Expert {member}", base / "certs" / f"{member}.p12")
    cas["rsa"].issue("Room seal", base / "room-rsa.p12")
    cas["sm2"].issue("Room SM2", base / "room-sm2.p12")
    return base, cas


def _trust(cas: dict[str, Ca], *algs: str) -> list[str]:
    return [arg for alg in algs for arg in ("--trust", str(cas[alg].pem))]


@pytest.fixture(scope="module")
def bags(pki: tuple[Path, dict[str, Ca]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base, _cas = pki
    out = tmp_path_factory.mktemp("member-bags")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVALROOM_CERT_PASSPHRASE", PASSPHRASE)
        made = {}
        for room in ("rsa", "sm2"):
            folder, bag = out / f"sim-{room}", out / f"bag-{room}"
            assert main(["simulate", "--case", str(CASE), "--out", str(folder), "--member-certs",
                         str(base / "certs"), "--room-cert", str(base / f"room-{room}.p12")]) == 0
            assert main(["archive", "build", str(folder), "--out", str(bag)]) == 0
            made[room] = bag
    return made


@pytest.mark.parametrize("room", ["rsa", "sm2"])
def test_every_certificate_chains_to_the_three_cas(bags: dict[str, Path], pki: tuple[Path, dict[str, Ca]],
                                                   room: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["verify", str(bags[room]), "--no-rerender", *_trust(pki[1], *ALGS)]) == 0
    checkin = [json.loads(line) for f in (bags[room] / "data" / "ledger").glob("room-*.jsonl")
               for line in f.read_text().splitlines()]
    bound = [r["event"]["body"]["certificate"] for r in checkin if r["event"]["type"] == "checkin"]
    assert len(bound) == len(MEMBERS)
    acts = [json.loads(line)["event"] for f in (bags[room] / "data" / "ledger").glob("E1-*.jsonl")
            for line in f.read_text().splitlines()]
    assert {e["type"] for e in acts if "cert_signature" in e["body"]} == {"letter.signed", "score.submitted",
                                                                         "report.signed"}


def test_a_missing_trust_root_names_each_certificate_it_leaves_untrusted(
        bags: dict[str, Path], pki: tuple[Path, dict[str, Ca]], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["verify", str(bags["sm2"]), "--no-rerender", *_trust(pki[1], "rsa", "ecdsa")]) == 1
    lines = capsys.readouterr().out.splitlines()
    named = sorted(line.split("'")[1] for line in lines if line.startswith("certificate: "))
    assert named == ["Expert E3", "Expert E6", "Room SM2"], lines


def test_a_swapped_certificate_is_caught(bags: dict[str, Path], pki: tuple[Path, dict[str, Ca]], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bag = tmp_path / "bag"
    shutil.copytree(bags["rsa"], bag)
    feed = next((bag / "data" / "ledger").glob("room-*.jsonl"))
    records = [json.loads(line) for line in feed.read_text().splitlines()]
    checkins = {r["event"]["body"]["member"]: r for r in records if r["event"]["type"] == "checkin"}
    checkins["E1"]["event"]["body"]["certificate"]["cert"] = checkins["E4"]["event"]["body"]["certificate"]["cert"]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records))
    capsys.readouterr()
    assert main(["verify", str(bag), "--no-rerender", *_trust(pki[1], *ALGS)]) == 1
    out = capsys.readouterr().out
    assert "certificate: member E1 'Expert E4': its signature at checkin" in out, out


def test_bad_certificate_input_is_one_line_and_exit_2(pki: tuple[Path, dict[str, Ca]], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    base, _cas = pki
    args = ["simulate", "--case", str(CASE), "--member-certs", str(base / "certs")]
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "a")]) == 2
    assert "EVALROOM_CERT_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("EVALROOM_CERT_PASSPHRASE", "wrong")
    assert main([*args, "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "E1.p12" in err[0] and "wrong passphrase" in err[0]
    monkeypatch.setenv("EVALROOM_CERT_PASSPHRASE", PASSPHRASE)
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(base / "certs" / "E1.p12", partial / "E1.p12")
    assert main(["simulate", "--case", str(CASE), "--member-certs", str(partial), "--out", str(tmp_path / "c")]) == 2
    assert "no certificate file for member E2" in capsys.readouterr().err
    assert not (tmp_path / "c" / "session.sqlite").exists()


def test_verify_adds_the_settings_trust_store(bags: dict[str, Path], pki: tuple[Path, dict[str, Ca]], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """With the settings' CA folder (RSA and ECDSA CAs) and no --trust, the chains are checked: the SM2 members are
    named; --trust SM2 CA adds to the settings' roots; an unreadable CRL in the settings' folder is exit 2."""
    _base, cas = pki
    folder = tmp_path / "cas"
    folder.mkdir()
    for alg in ("rsa", "ecdsa"):
        shutil.copy(cas[alg].pem, folder / f"{alg}.pem")
    monkeypatch.setenv("EVALROOM_TRUST_CA_FOLDER", str(folder))
    capsys.readouterr()
    assert main(["verify", str(bags["sm2"]), "--no-rerender"]) == 1
    out, err = capsys.readouterr()
    named = sorted(line.split("'")[1] for line in out.splitlines() if line.startswith("certificate: "))
    assert named == ["Expert E3", "Expert E6", "Room SM2"], out
    assert "settings' trust store too (2 CA, 0 CRL)" in err
    assert main(["verify", str(bags["sm2"]), "--no-rerender", *_trust(cas, "sm2")]) == 0
    crls = tmp_path / "crls"
    crls.mkdir()
    (crls / "broken.crl").write_bytes(b"\x30\x03junk")
    monkeypatch.setenv("EVALROOM_TRUST_CRL_FOLDER", str(crls))
    capsys.readouterr()
    assert main(["verify", str(bags["sm2"]), "--no-rerender"]) == 2
    err = capsys.readouterr().err
    assert "trust store" in err and "broken.crl: not a CRL" in err, err
