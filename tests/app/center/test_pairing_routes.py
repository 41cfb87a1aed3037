"""The hub's pairing routes in process (Starlette's TestClient): what the hub keeps, limits and refuses on its own
(the console's checks are in tests/app/services/test_pairing.py, with real processes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.center import pairing, protocol
from app.center import pairing_protocol as wire
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.ledger.authors import key_to_json

ROOM = "room-p"


@pytest.fixture
def hub(tmp_path: Path):  # type: ignore[no-untyped-def]
    center = Center(Config.default(tmp_path / "hub", role="hub"), key=SigningKey.generate())
    room_key = SigningKey.generate()
    center.enroll(ROOM, room_key.public)
    app = create_app(center)
    with TestClient(app) as client:
        yield client, app.state.pairing, room_key
    center.close()


def _signed(client: TestClient, key: SigningKey, method: str, path: str, payload: Any = None) -> Any:
    import json

    body = json.dumps(payload).encode() if payload is not None else b""
    headers = protocol.sign_request(key, ROOM, method, path, body)
    if payload is not None:
        headers["Content-Type"] = "application/json"
    return client.request(method, path, content=body, headers=headers)


def _offer(rid: str, request: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"request_id": rid, "code_id": request["code_id"], "nonce": request["nonce"], "key": request["key"],
            "role": "expert", "session": "S1", "member": "E1", "name": "王建国", "room": ROOM, **extra}


def test_the_hub_routes_a_pairing_it_cannot_judge(hub) -> None:  # type: ignore[no-untyped-def]
    client, board, room_key = hub
    pc = SigningKey.generate()
    request = wire.make_request("123456", "expert", pc.public)
    rid = client.post("/v1/pairing/requests", json=request).json()["request_id"]
    assert client.get(f"/v1/pairing/requests/{rid}").json()["status"] == "pending"
    assert client.post("/v1/pairing/requests", json=request).status_code == 409  # the same nonce again
    assert client.get("/v1/pairing/pending").status_code == 401  # the console signs
    listed = _signed(client, room_key, "GET", "/v1/pairing/pending").json()["requests"]
    assert [r["request_id"] for r in listed] == [rid] and listed[0]["request"]["proof"] == request["proof"]
    assert client.post(f"/v1/pairing/requests/{rid}/binding", json={"binding": "x"}).status_code == 409  # no offer

    forged = wire.sign_offer(SigningKey.generate(), _offer(rid, request))
    refused = _signed(client, room_key, "POST", f"/v1/pairing/answers/{rid}", {"offer": forged})
    assert refused.status_code == 422 and "enrolled key" in refused.json()["error"]
    other = wire.sign_offer(room_key, {**_offer(rid, request), "nonce": "0" * 32})
    assert _signed(client, room_key, "POST", f"/v1/pairing/answers/{rid}", {"offer": other}).status_code == 422
    signed = wire.sign_offer(room_key, _offer(rid, request))
    assert _signed(client, room_key, "POST", f"/v1/pairing/answers/{rid}", {"offer": signed}).status_code == 200
    polled = client.get(f"/v1/pairing/requests/{rid}").json()
    assert polled["status"] == "offered" and polled["room_key"] == key_to_json(room_key.public)
    assert wire.offer_valid(polled["offer"], room_key.public)
    assert client.post(f"/v1/pairing/requests/{rid}/binding", json={"binding": "sig"}).json()["status"] == \
        "countersigned"
    listed = _signed(client, room_key, "GET", "/v1/pairing/pending").json()["requests"]
    assert listed[0]["status"] == "countersigned" and listed[0]["binding"] == "sig"
    event = "ab" * 32
    assert _signed(client, room_key, "POST", f"/v1/pairing/answers/{rid}", {"event": event}).status_code == 200
    polled = client.get(f"/v1/pairing/requests/{rid}").json()
    assert polled["status"] == "recording" and polled["event"] == event  # bound once the hub holds the event

    wrong = client.post("/v1/pairing/requests", json=wire.make_request("000000", "expert", pc.public)).json()
    refusal = {"reason_zh": "登录码不正确", "reason_en": "wrong pairing code"}
    assert _signed(client, room_key, "POST", f"/v1/pairing/answers/{wrong['request_id']}",
                   {"refusal": refusal}).status_code == 200
    assert client.get(f"/v1/pairing/requests/{wrong['request_id']}").json()["refusal"] == refusal
    board.clock = lambda: pairing.time.monotonic() + pairing.REFUSED_KEPT + 1  # a refusal is kept two minutes
    assert client.get(f"/v1/pairing/requests/{wrong['request_id']}").status_code == 404
    assert client.get(f"/v1/pairing/requests/{rid}").status_code == 200
    board.clock = lambda: pairing.time.monotonic() + wire.EXPIRY_SECONDS + 1  # half an hour on: forgotten
    assert client.get(f"/v1/pairing/requests/{rid}").status_code == 404


def test_a_code_id_is_tried_five_times_and_memory_is_bounded(hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client, board, _ = hub
    key = SigningKey.generate().public
    for _ in range(pairing.PER_CODE):
        assert client.post("/v1/pairing/requests", json=wire.make_request("654321", "expert", key)).status_code == 200
    over = client.post("/v1/pairing/requests", json=wire.make_request("654321", "expert", key))
    assert over.status_code == 429 and "ask the check-in desk" in over.json()["reason_en"]
    monkeypatch.setattr(pairing, "PER_SOURCE", len(board.requests))  # one address fills its share
    assert client.post("/v1/pairing/requests", json=wire.make_request("111111", "expert", key)).status_code == 429
    monkeypatch.setattr(pairing, "PER_SOURCE", 1000)
    monkeypatch.setattr(pairing, "MAX_LIVE", len(board.requests))
    full = client.post("/v1/pairing/requests", json=wire.make_request("111111", "expert", key))
    assert full.status_code == 503
    bad = wire.make_request("111111", "expert", key)
    bad["key"] = {"alg": "ed25519", "public": "AAAA"}
    assert client.post("/v1/pairing/requests", json=bad).status_code in (422, 503)
    assert client.post("/v1/pairing/requests", json={**bad, "role": "chair"}).status_code == 422


def test_the_center_has_no_pairing(tmp_path: Path) -> None:
    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    with TestClient(create_app(center)) as client:
        assert client.post("/v1/pairing/requests", json={}).status_code == 404
    center.close()


def test_a_venue_of_the_session_answers_its_pairings_and_another_room_does_not(tmp_path: Path) -> None:
    """A remote venue's console answers the pairings of its members' PCs at its own hub (the session is the main
    venue's); a room the session does not name as a venue is refused."""
    import json

    from venuekit import VENUE, remote_session

    kit = remote_session(tmp_path / "main", upto="checkin", seat_remote=False)
    session = kit.session.store.session_id
    center = Center(Config.default(tmp_path / "hub", role="hub"), key=SigningKey.generate())
    stranger = SigningKey.generate()
    for room, key in (("main-room", kit.room), (VENUE, kit.venue), ("room-x", stranger)):
        center.enroll(room, key.public)

    def signed(client: TestClient, room: str, key: SigningKey, method: str, path: str, payload: Any = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = {**protocol.sign_request(key, room, method, path, body), "Content-Type": "application/json"}
        return client.request(method, path, content=body, headers=headers)

    try:
        with TestClient(create_app(center)) as client:
            records = [ev.to_record() for ev in kit.session.store.events()]
            pushed = signed(client, "main-room", kit.room, "POST", f"/v1/sessions/{session}/events",
                            {"records": records})
            assert pushed.status_code == 200 and pushed.json()["rejected"] == []
            for room, key, status in (("room-x", stranger, 403), (VENUE, kit.venue, 200)):
                request = wire.make_request("123456", "expert", SigningKey.generate().public)
                rid = client.post("/v1/pairing/requests", json=request).json()["request_id"]
                offer = wire.sign_offer(key, {**_offer(rid, request), "session": session, "member": "E4",
                                              "room": room})
                answered = signed(client, room, key, "POST", f"/v1/pairing/answers/{rid}", {"offer": offer})
                assert answered.status_code == status, answered.text
                if status == 403:
                    assert "belongs to room main-room" in answered.json()["error"]
                else:
                    assert client.get(f"/v1/pairing/requests/{rid}").json()["room_key"] == key_to_json(kit.venue.public)
    finally:
        center.close()
        kit.session.close()
