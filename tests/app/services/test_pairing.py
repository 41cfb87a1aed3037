"""Pairing an expert's or supervisor's own PC with the room hub: a real ``hub serve`` process on 127.0.0.1, the
console's Room in this process, each PC a separate process with its own data folder (its key is made there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

import centerkit as ck
from app.center import pairing_protocol as wire
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.ledger.authors import key_from_json, sign_binding
from app.paths import DEMO_CASE
from app.services.paired import key_path
from app.services.pairing import PairingRefused, load_seat, pair
from app.services.pairing_desk import MAX_ATTEMPTS
from app.services.room import Room
from app.settings import Settings
from app.sync.client import CenterClient
from app.sync.worker import SyncWorker
from softhsm import needs_softhsm

PASS = b"console passphrase"
PC_PASS = "pc passphrase 1"
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    server = ck.start_server(tmp_path_factory.mktemp("hub") / "data", role="hub")
    yield server
    server.stop()


class Console:
    """The console's Room on its own session, enrolled at the hub, answering pairings and pushing its events."""

    def __init__(self, home: Path, hub: ck.Server, tag: str, settings: Settings | None = None) -> None:
        self.room_id = f"room-{tag}"
        self.room = Room(home, self.room_id, passphrase=PASS, settings=settings)
        case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
        case["project"]["code"] = f"{case['project']['code']}-{tag}"  # a session of its own at the shared hub
        package = home.parent / f"package-{tag}.json"
        package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        center = Center(Config.default(_hub_data(hub), role="hub"))
        try:
            center.enroll(self.room_id, self.room.key.public)
        finally:
            center.close()
        self.room.start(package)
        self.room.open_bids()
        self.room.advance("checkin")
        self.client = CenterClient(hub.url, self.room_id, self.room.key, timeout=10)
        self.session = self.room.session
        assert self.session is not None
        self.worker = SyncWorker(self.session.store.path, self.client, self.session.store.session_id)
        self.outcomes: list[Any] = []

    def code(self, member: str) -> str:
        return self.room.check_identity(member, self.room.take_photo().jpeg)

    def tick(self) -> None:
        self.outcomes += self.room.answer_pairings(self.client)
        self.worker.run_once(force=True)

    def serve(self, proc: subprocess.Popen[str], limit: float = 90) -> tuple[int, str, str]:
        deadline = time.monotonic() + limit
        while proc.poll() is None and time.monotonic() < deadline:
            self.tick()
            time.sleep(0.1)
        out, err = proc.communicate(timeout=30)
        return proc.returncode, out, err

    def close(self) -> None:
        self.client.close()
        self.room.close()


def _hub_data(hub: ck.Server) -> Path:
    return hub.log.parent


def _pc(home: Path, url: str, code: str, role: str = "expert", name: str = "", extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A PC pairing in a process of its own (its own data folder): ``evalroom pair --json``."""
    args = [sys.executable, "-m", "app", "pair", "--hub", url, "--code", code, "--role", role, "--data", str(home),
            "--json", "--timeout", "60", *extra]
    return subprocess.Popen([*args, *(["--name", name] if name else [])], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS, **(env or {})})


def _refusal(err: str) -> dict[str, str]:
    """The refusal ``evalroom pair`` prints last on stderr: ``evalroom pair: ZH / EN``."""
    line = err.strip().splitlines()[-1].removeprefix("evalroom pair: ")
    zh, _, en = line.partition(" / ")
    return {"zh": zh, "en": en}


@pytest.fixture
def console(hub: ck.Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    made = Console(tmp_path / "console", hub, uuid.uuid4().hex[:8])
    yield made
    made.close()


def _files_holding(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_an_expert_pc_pairs_and_its_key_never_leaves_it(console: Console, hub: ck.Server, tmp_path: Path) -> None:
    code = console.code("E1")
    pc = tmp_path / "pc-E1"
    status, out, err = console.serve(_pc(pc, hub.url, code))
    assert status == 0, (out, err)
    seat = json.loads(out)
    assert seat["member"] == "E1" and seat["role"] == "expert"
    state = console.room.state
    assert state.members["E1"].author == seat["key_id"]
    checkin = next(ev for ev in console.session.store.events() if ev.type == "checkin")
    public = key_from_json(checkin.body["key"])
    assert public.key_id == seat["key_id"] and console.outcomes[-1].status == "checked_in"
    paired = load_seat(pc, PC_PASS.encode())
    assert paired is not None and paired.member == "E1" and paired.key.public == public
    assert paired.session == state.session and paired.hub_url == hub.url and paired.cafile is None
    assert key_path(pc, paired.session).is_file() and oct(key_path(pc, paired.session).stat().st_mode)[-3:] == "600"
    assert not list(key_path(pc, paired.session).parent.glob("member.pending*"))
    # the private key is on the PC only: no file of the console's data folder holds its raw bytes
    raw = paired.key._private.private_bytes_raw()
    assert not _files_holding(tmp_path / "console", raw)
    # the hub holds the check-in (the PC waited for it: "bound"), and the PC's key is declared there
    assert console.client.frontier(paired.session)[console.room.key.key_id] >= checkin.seq


def test_wrong_replayed_and_expired_codes_are_refused(console: Console, hub: ck.Server, tmp_path: Path) -> None:
    code = console.code("E1")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    status, out, err = console.serve(_pc(tmp_path / "pc-wrong", hub.url, wrong))
    assert status == 1 and "登录码不正确" in _refusal(err)["zh"]
    assert console.room.state.members["E1"].author is None

    status, out, err = console.serve(_pc(tmp_path / "pc-E1", hub.url, code))
    assert status == 0, out
    status, out, err = console.serve(_pc(tmp_path / "pc-again", hub.url, code))  # the same code on another PC
    refusal = _refusal(err)
    assert status == 1 and "已使用" in refusal["zh"] and "used already" in refusal["en"]

    code2 = console.code("E2")
    console.room.clock = lambda: time.monotonic() + 31 * 60  # half an hour later
    status, out, err = console.serve(_pc(tmp_path / "pc-E2", hub.url, code2))
    refusal = _refusal(err)
    assert status == 1 and "已过期" in refusal["zh"] and "expired" in refusal["en"]
    assert console.room.state.members["E2"].author is None


def test_a_key_or_binding_for_another_member_is_refused(console: Console, hub: ck.Server) -> None:
    """A hand-made PC: the first pairing's key presented again for E2, and a binding signed for E2 on E3's offer."""
    key = SigningKey.generate()
    http = httpx.Client(base_url=hub.url, timeout=10)

    def ask(code: str, with_key: SigningKey) -> str:
        rid = http.post("/v1/pairing/requests", json=wire.make_request(code, "expert", with_key.public)).json()
        return str(rid["request_id"])

    def status(rid: str) -> dict[str, Any]:
        for _ in range(100):
            console.tick()
            answer = http.get(f"/v1/pairing/requests/{rid}").json()
            if answer["status"] not in ("pending", "countersigned", "recording"):
                return answer  # type: ignore[no-any-return]
            time.sleep(0.05)
        raise AssertionError(answer)

    rid = ask(console.code("E1"), key)
    offered = status(rid)
    assert offered["status"] == "offered" and offered["offer"]["offer"]["member"] == "E1"
    session = offered["offer"]["offer"]["session"]
    http.post(f"/v1/pairing/requests/{rid}/binding", json={"binding": sign_binding(key, session, "E1")})
    assert status(rid)["status"] == "bound"

    refused = status(ask(console.code("E2"), key))  # E1's key presented for E2
    assert refused["status"] == "refused" and "已绑定" in refused["refusal"]["reason_zh"]
    assert console.room.state.members["E2"].author is None

    other = SigningKey.generate()
    rid = ask(console.code("E3"), other)
    assert status(rid)["status"] == "offered"
    http.post(f"/v1/pairing/requests/{rid}/binding", json={"binding": sign_binding(other, session, "E2")})
    refused = status(rid)
    assert refused["status"] == "refused" and "another member" in refused["refusal"]["reason_en"]
    assert console.room.state.members["E3"].author is None and console.room.state.members["E2"].author is None
    http.close()


def test_five_wrong_proofs_void_the_code(console: Console, hub: ck.Server) -> None:
    code = console.code("E1")
    http = httpx.Client(base_url=hub.url, timeout=10)
    ident = wire.code_id(code)
    key = SigningKey.generate()
    reasons = []
    for attempt in range(MAX_ATTEMPTS):
        forged = wire.make_request(code, "expert", key.public)
        forged["proof"] = wire.proof(wire.code_key(f"{attempt:06d}x"), forged)  # the code id, but not the code
        assert forged["code_id"] == ident
        rid = http.post("/v1/pairing/requests", json=forged).json()["request_id"]
        console.tick()
        reasons.append(http.get(f"/v1/pairing/requests/{rid}").json()["refusal"]["reason_en"])
    assert "4 attempts left" in reasons[0] and "too many wrong attempts" in reasons[-1]
    over = http.post("/v1/pairing/requests", json=wire.make_request(code, "expert", key.public))
    assert over.status_code == 429 and over.json()["reason_zh"].startswith("此登录码的配对尝试次数过多")
    http.close()
    with pytest.raises(PairingRefused, match="too many pairing attempts"):
        pair(Path(console.room.home).parent / "pc", hub.url, code, b"pw", timeout=5)


def test_a_supervisor_pc_pairs_with_its_own_key(console: Console, hub: ck.Server, tmp_path: Path) -> None:
    code = console.room.issue_supervisor_code("王监督")
    status, out, err = console.serve(_pc(tmp_path / "pc-sup", hub.url, code, role="expert"))
    assert status == 1 and "监督人员" in _refusal(err)["zh"]  # a supervisor's code is not an expert's
    code = console.room.issue_supervisor_code("王监督")
    status, out, err = console.serve(_pc(tmp_path / "pc-sup", hub.url, code, role="supervisor"))
    assert status == 0, (out, err)
    seat = json.loads(out)
    assert seat["role"] == "supervisor" and seat["member"] == "王监督"
    author = console.room.state.authors[seat["key_id"]]
    assert author.role == "supervisor" and author.label == "supervisor 王监督"
    registered = [ev for ev in console.session.store.events() if ev.type == "supervisor.registered"]
    assert len(registered) == 1 and registered[0].body["binding"]
    paired = load_seat(tmp_path / "pc-sup", PC_PASS.encode())
    assert paired is not None and paired.role == "supervisor" and paired.key.key_id == seat["key_id"]


def test_a_code_issued_again_after_a_console_restart_voids_the_old_one(console: Console, hub: ck.Server,
                                                                         tmp_path: Path) -> None:
    code = console.code("E1")
    status, out, err = console.serve(_pc(tmp_path / "pc-E1", hub.url, code))
    assert status == 0, out
    first = json.loads(out)["key_id"]
    voided = console.room.reissue_code("E1")
    old = console.room.reissue_code("E1")  # issued again: the code before it stops working
    status, out, err = console.serve(_pc(tmp_path / "pc-E1-voided", hub.url, voided))
    assert status == 1 and "已作废" in _refusal(err)["zh"] and "replaced by a newer one" in _refusal(err)["en"]
    home, package = console.room.home, console.room.session
    assert package is not None
    path = package.store.path
    console.room.close()  # the console restarts: the codes it issued are gone with it
    room = Room(home, console.room_id, passphrase=PASS)
    room.start(_package_of(home, console))
    assert room.session is not None and room.session.store.path == path
    console.room, console.session = room, room.session
    console.worker = SyncWorker(path, console.client, room.session.store.session_id)
    status, out, err = console.serve(_pc(tmp_path / "pc-E1-old", hub.url, old))
    assert status == 1 and "登录码不正确" in _refusal(err)["zh"]
    new = room.reissue_code("E1")
    status, out, err = console.serve(_pc(tmp_path / "pc-E1-new", hub.url, new))
    assert status == 0, (out, err)
    second = json.loads(out)["key_id"]
    state = room.state
    assert state.members["E1"].author == second and state.authors[first].revoked


def _package_of(home: Path, console: Console) -> Path:
    return next(home.parent.glob(f"package-{console.room_id.removeprefix('room-')}.json"))


def test_an_unreachable_hub_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{ck.free_port()}"
    with pytest.raises(PairingRefused) as refused:
        pair(tmp_path / "pc", url, "123456", b"pw", timeout=5)
    assert f"无法连接评标室服务器 {url}" in refused.value.zh and url in refused.value.en
    result = ck.run_cli("pair", "--hub", url, "--code", "12345", "--data", str(tmp_path / "pc"))
    assert result.returncode == 2 and "give the 6 digits" in result.stderr
    result = ck.run_cli("pair", "--hub", url, "--code", "123456", "--data", str(tmp_path / "pc"),
                        env={"EVALROOM_KEY_PASSPHRASE": PC_PASS})
    assert result.returncode == 1 and f"无法连接评标室服务器 {url}" in result.stderr


def test_a_dropped_lan_while_pairing_is_ridden_out(console: Console, hub: ck.Server, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The LAN drops right after the PC countersigned: it asks again and goes on (in this process: a thread)."""
    import threading

    from app.services import pairing

    real, calls, dropped = pairing._Hub.call, [], []

    def flaky(self: Any, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        if not dropped and any(m == "POST" and p.endswith("/binding") for m, p in calls):
            dropped.append(path)
            raise pairing._Lost("网络中断", "the LAN dropped")
        calls.append((method, path))
        return real(self, method, path, payload)

    monkeypatch.setattr(pairing._Hub, "call", flaky)
    code = console.code("E1")
    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(pair(tmp_path / "pc", hub.url, code, b"pw", timeout=60)))
    thread.start()
    while thread.is_alive():
        console.tick()
        time.sleep(0.1)
    assert dropped and done and done[0].member == "E1"
    assert console.room.state.members["E1"].author == done[0].key.key_id


def _pair_here(console: Console, hub: ck.Server, home: Path, code: str, cert: Any) -> Any:
    """``pair`` in this process (the PC's program keeps the certificate open) while the console answers."""
    import threading

    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["seat"] = pair(home, hub.url, code, PC_PASS.encode(), timeout=60, cert=cert)
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            done["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 90
    while thread.is_alive() and time.monotonic() < deadline:
        console.tick()
        time.sleep(0.1)
    thread.join(5)
    console.tick()
    if "error" in done:
        raise done["error"]
    return done["seat"]


def test_a_certificate_at_pairing_is_checked_by_the_console_and_co_signs_the_letter(hub: ck.Server,
                                                                                     tmp_path: Path) -> None:
    from app.crypto.certs import load_p12
    from app.ledger import certified
    from app.services.member_room import MemberRoom
    from app.services.session import CertificateNotOpen
    from opensslpki import PASSPHRASE, make_ca

    trusted, other = make_ca(tmp_path / "rsa", "Trusted CA", "rsa"), make_ca(tmp_path / "other", "Other CA", "sm2")
    good = trusted.issue("Expert Good", tmp_path / "good.p12")
    untrusted = other.issue("Expert Other", tmp_path / "o.p12")
    console = Console(tmp_path / "console", hub, uuid.uuid4().hex[:8], Settings(trust_ca_files=(trusted.pem,)))
    try:
        code = console.code("E1")
        status, out, err = console.serve(_pc(tmp_path / "pc-bad", hub.url, code, extra=("--cert", str(untrusted)),
                                             env={"EVALROOM_CERT_PASSPHRASE": PASSPHRASE}))
        refusal = _refusal(err)
        assert status == 1, (out, err)
        assert "certificate 'CN=Expert Other' refused: untrusted issuer: CN=Other CA" in refusal["en"], refusal
        assert "证书“CN=Expert Other”不被接受" in refusal["zh"]
        assert console.room.state.members["E1"].author is None  # nothing bound, and the same code works again
        pc = tmp_path / "pc-E1"
        seat = _pair_here(console, hub, pc, code, load_p12(good, PASSPHRASE.encode()))
        assert seat.cert is not None and seat.cert_subject == "CN=Expert Good"
        checkin = next(ev for ev in console.session.store.events() if ev.type == "checkin")
        cert, _chain, _sig = certified.parse(checkin.body["certificate"])
        assert cert.subject.rfc4514_string() == "CN=Expert Good"
        assert key_from_json(checkin.body["key"]).key_id == seat.key.key_id
        # after a restart the seat knows a certificate was bound but has it not open: the 承诺书 waits for it
        again = load_seat(pc, PC_PASS.encode())
        assert again is not None and again.cert is None and again.cert_subject == "CN=Expert Good"
        with MemberRoom(pc, again, sync_interval=0.2) as room:
            station = room.workstation("E1")
            with pytest.raises(CertificateNotOpen, match="'CN=Expert Good', which is not open"):
                station.sign_letter(b"png", "{}", station.letter().version_sha256)
        with MemberRoom(pc, seat, sync_interval=0.2) as room:
            station = room.workstation("E1")
            station.sign_letter(b"png", "{}", station.letter().version_sha256)
            letter = next(ev for ev in room.store.events() if ev.type == "letter.signed")
        assert certified.signature_valid(cert, letter.body[certified.SIGNATURE_FIELD],
                                         certified.act_message(letter.session, letter.author, letter.type, letter.body))
    finally:
        console.close()


def test_after_a_restart_the_pc_opens_the_bound_certificate_again_and_no_other(hub: ck.Server,
                                                                               tmp_path: Path) -> None:
    """The PC pairs with a PKCS#12 certificate in a process of its own, which ends (the program restarted): the seat
    knows the certificate but has it not open; opening another one (same CA, trusted) is refused naming both, the
    bound one opened again co-signs the 承诺书 — no new check-in code."""
    from app.crypto.certs import load_p12
    from app.ledger import certified
    from app.services.member_room import MemberRoom
    from app.services.session import CertificateNotOpen
    from opensslpki import PASSPHRASE, make_ca

    trusted = make_ca(tmp_path / "rsa", "Trusted CA", "ecdsa")
    good = trusted.issue("Expert Bound", tmp_path / "good.p12")
    other = trusted.issue("Expert Else", tmp_path / "else.p12")
    console = Console(tmp_path / "console", hub, uuid.uuid4().hex[:8], Settings(trust_ca_files=(trusted.pem,)))
    try:
        code = console.code("E3")
        status, out, err = console.serve(_pc(tmp_path / "pc", hub.url, code, extra=("--cert", str(good)),
                                             env={"EVALROOM_CERT_PASSPHRASE": PASSPHRASE}))
        assert status == 0, (out, err)
        checkins = [ev for ev in console.session.store.events() if ev.type == "checkin"]
        assert len(checkins) == 1
        seat = load_seat(tmp_path / "pc", PC_PASS.encode())
        assert seat is not None and seat.cert is None and seat.cert_subject == "CN=Expert Bound"
        with MemberRoom(tmp_path / "pc", seat, sync_interval=0.2) as room:
            assert room.certificate_to_open() == "CN=Expert Bound"
            station = room.workstation("E3")
            with pytest.raises(CertificateNotOpen, match="open it again"):
                station.sign_letter(b"png", "{}", station.letter().version_sha256)
            with pytest.raises(CertificateNotOpen) as refused:
                room.reopen_certificate(load_p12(other, PASSPHRASE.encode()))
            assert "'CN=Expert Else' is not the one bound at this check-in ('CN=Expert Bound')" in str(refused.value)
            assert "“CN=Expert Else”不是本次签到绑定的证书“CN=Expert Bound”" in refused.value.message("zh")
            assert room.certificate_to_open() == "CN=Expert Bound"  # still waiting for the bound one
            assert room.reopen_certificate(load_p12(good, PASSPHRASE.encode())) == "CN=Expert Bound"
            assert room.certificate_to_open() is None
            station.sign_letter(b"png", "{}", station.letter().version_sha256)
            letter = next(ev for ev in room.store.events() if ev.type == "letter.signed")
        cert, _chain, _sig = certified.parse(checkins[0].body["certificate"])
        assert certified.signature_valid(cert, letter.body[certified.SIGNATURE_FIELD],
                                         certified.act_message(letter.session, letter.author, letter.type, letter.body))
        assert len([ev for ev in console.session.store.events() if ev.type == "checkin"]) == 1  # no new check-in
    finally:
        console.close()


def test_a_seat_without_a_bound_certificate_has_none_to_open(console: Console, hub: ck.Server,
                                                             tmp_path: Path) -> None:
    from app.crypto.certs import load_p12
    from app.services.member_room import MemberRoom
    from app.services.session import CertificateNotOpen
    from opensslpki import PASSPHRASE, make_ca

    code = console.code("E4")
    status, out, err = console.serve(_pc(tmp_path / "pc", hub.url, code))
    assert status == 0, (out, err)
    seat = load_seat(tmp_path / "pc", PC_PASS.encode())
    assert seat is not None and seat.cert_subject is None
    cert = load_p12(make_ca(tmp_path / "ca", "Some CA", "rsa").issue("Expert Any", tmp_path / "any.p12"),
                    PASSPHRASE.encode())
    with MemberRoom(tmp_path / "pc", seat, sync_interval=0.2) as room:
        assert room.certificate_to_open() is None
        with pytest.raises(CertificateNotOpen, match="no certificate was bound at this check-in"):
            room.reopen_certificate(cert)


@needs_softhsm
def test_an_expert_pairs_with_the_certificate_on_a_usb_key(hub: ck.Server, tmp_path: Path) -> None:
    """``evalroom pair --token`` with the settings' pkcs11_module/slot: a wrong PIN is refused before the hub is asked
    (the code still works, nothing is bound), the right one checks in with the token's certificate."""
    from app.ledger import certified
    from opensslpki import make_ca
    from softhsm import MODULE, key_with_certificate, new_token

    ca = make_ca(tmp_path / "ca", "UKey CA", "ecdsa")
    slot = new_token("pairing-ukey", "314159")
    key_with_certificate("pairing-ukey", "314159", ca, "Expert Token", "rsa")
    console = Console(tmp_path / "console", hub, uuid.uuid4().hex[:8], Settings(trust_ca_files=(ca.pem,)))
    token_env = {"EVALROOM_PKCS11_MODULE": str(MODULE), "EVALROOM_PKCS11_SLOT": str(slot)}
    try:
        code = console.code("E2")
        status, out, err = console.serve(_pc(tmp_path / "pc", hub.url, code, extra=("--token",),
                                             env={**token_env, "EVALROOM_TOKEN_PIN": "000000"}))
        assert status == 2 and "wrong PIN for the USB key 'pairing-ukey'" in err, (out, err)
        assert console.room.state.members["E2"].author is None
        status, out, err = console.serve(_pc(tmp_path / "pc", hub.url, code, extra=("--token",),
                                             env={**token_env, "EVALROOM_TOKEN_PIN": "314159"}))
        assert status == 0, (out, err)
        assert json.loads(out)["certificate"] == "CN=Expert Token"
        checkin = next(ev for ev in console.session.store.events() if ev.type == "checkin")
        cert, _chain, signature = certified.parse(checkin.body["certificate"])
        assert cert.subject.rfc4514_string() == "CN=Expert Token"
        assert certified.signature_valid(cert, signature, certified.checkin_message(
            checkin.session, "E2", key_from_json(checkin.body["key"]).key_id, cert))
        # that process ended (the program restarted): the USB key opened again with its PIN co-signs the 承诺书
        from app.services.certificates import open_token_certificate
        from app.services.member_room import MemberRoom

        seat = load_seat(tmp_path / "pc", PC_PASS.encode())
        assert seat is not None and seat.cert_subject == "CN=Expert Token"
        token = Settings(pkcs11_module=MODULE, pkcs11_slot=slot)
        with MemberRoom(tmp_path / "pc", seat, sync_interval=0.2) as room:
            assert room.certificate_to_open() == "CN=Expert Token"
            assert room.reopen_certificate(open_token_certificate(token, "314159")) == "CN=Expert Token"
            station = room.workstation("E2")
            station.sign_letter(b"png", "{}", station.letter().version_sha256)
            letter = next(ev for ev in room.store.events() if ev.type == "letter.signed")
        assert certified.signature_valid(cert, letter.body[certified.SIGNATURE_FIELD],
                                         certified.act_message(letter.session, letter.author, letter.type, letter.body))
    finally:
        console.close()


def test_the_ocsp_lookup_of_a_checkin_certificate_does_not_hold_the_database_thread(hub: ck.Server,
                                                                                    tmp_path: Path) -> None:
    """With trust_ocsp on, the console's pairing round (run on its database thread) asks the certificate's OCSP
    responder on a pool and returns: while the responder holds its answer, rounds go on and another database action
    completes, nothing is bound; once it answers *revoked*, the check-in is refused naming the certificate."""
    import threading

    from app.crypto.certs import load_p12
    from opensslpki import PASSPHRASE, HeldResponder, free_port, make_ca

    responder = HeldResponder()
    ca = make_ca(tmp_path / "ca", "OCSP CA", "rsa")
    gone = ca.issue_dated("Expert Gone", tmp_path / "gone.p12", "20250101000000Z", "20350101000000Z",
                          ocsp_url=responder.url)
    ca.revoke(tmp_path / "gone.p12")
    console = Console(tmp_path / "console", hub, uuid.uuid4().hex[:8],
                      Settings(trust_ca_files=(ca.pem,), trust_ocsp=True))
    done: dict[str, Any] = {}
    try:
        with ca.ocsp_responder(free_port()) as upstream:
            responder.upstream = upstream
            code = console.code("E1")

            def run() -> None:
                try:
                    done["seat"] = pair(tmp_path / "pc", hub.url, code, PC_PASS.encode(), timeout=60,
                                        cert=load_p12(gone, PASSPHRASE.encode()))
                except BaseException as exc:  # noqa: BLE001 (handed to the test)
                    done["error"] = exc

            thread = threading.Thread(target=run)
            thread.start()
            deadline = time.monotonic() + 90  # a guard against a hang, not a measurement
            while not responder.asked.is_set() and thread.is_alive() and time.monotonic() < deadline:
                console.tick()  # each round returns: none of them waits on the responder
                time.sleep(0.1)
            assert responder.asked.is_set(), done
            console.tick()  # a round while the responder holds its answer
            assert console.code("E2")  # another database action, completed meanwhile
            assert not responder.release.is_set() and console.room.state.members["E1"].author is None
            responder.release.set()
            while thread.is_alive() and time.monotonic() < deadline:
                console.tick()
                time.sleep(0.1)
            thread.join(5)
        refused = done.get("error")
        assert isinstance(refused, PairingRefused), done
        assert "certificate 'CN=Expert Gone' refused: revoked on " in str(refused), str(refused)
        assert f"(OCSP responder {responder.url})" in str(refused)
        assert console.room.state.members["E1"].author is None
    finally:
        responder.close()
        console.close()
