"""Schemathesis against the center's own OpenAPI schema (issue #7: "no 500s"): every operation, unsigned
(refused with a 4xx) and signed by an enrolled room key (reaching the handlers), never answers 5xx.

The schema is built at import from ``create_app`` (it depends on the role only); the requests go to the
app over a real center, one per module. Not ``schemathesis.pytest.from_fixture``: under pytest 9 it fails
(it sets ``Function._nodeid``, gone in pytest 9). Under pytest 9 every operation's item also has the same
node id; its name (``test_…[POST /v1/…]``, what ``-k`` matches) and the failure messages name the operation."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import unquote

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

import centerkit as ck
from app.center import protocol
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.ledger.authors import key_to_json
from app.ledger.canonical import MAX_INT
from app.ledger.events import new_event, utc_stamp
from app.sync.client import CenterClient

ROOM, SESSION = "room-a", "fuzz-session"
OBSERVER, OBSERVER_KEY = "observer", SigningKey.generate()  # the only caller /v1/status answers
PUBLIC = {"/", "/healthz", "/v1/center"}
FUZZ = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck))
SPEC = create_app(cast(Center, SimpleNamespace(config=SimpleNamespace(role="center")))).openapi()
KNOWN: dict[str, Any] = {"session": SESSION, "file_index": 0, "chunk": 0}  # + "archive", set by the `served` fixture

unsigned = schemathesis.openapi.from_dict(SPEC)
signed = schemathesis.openapi.from_dict(SPEC)


@signed.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Half of the signed cases name the seeded session and archive, so the handlers get past their lookups."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {k: KNOWN.get(k, v) for k, v in path_parameters.items()}])


def shortened(case: schemathesis.Case) -> dict[str, str] | None:
    """The event stream lasts ``seconds`` (an hour by default): at most 0.2 s here; other values as generated."""
    query = case.query if isinstance(case.query, dict) else {}
    given = query.get("seconds", "3600")
    values = given if isinstance(given, list) else [given]
    if case.operation.path == "/v1/stream" and any(_number(v) > 0.2 for v in values):
        return {"seconds": "0.2"}
    return None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class Signed(requests.auth.AuthBase):
    """Signs the request as it goes out (method, target, body bytes) the way ``CenterClient`` does; a PUT
    (an archive chunk) also declares its body's SHA-256 in X-Chunk-SHA256, which the signature then covers."""

    def __init__(self, key: SigningKey, room: str) -> None:
        self.key, self.room = key, room

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        data = body.encode() if isinstance(body, str) else body
        assert isinstance(data, bytes) and request.method, (request.method, type(body))
        if request.method == "PUT":
            request.headers[protocol.H_CHUNK_SHA] = hashlib.sha256(data).hexdigest()
        request.headers.update(protocol.sign_request(self.key, self.room, request.method,
                                                     server_target(request.path_url), data))
        return request


def server_target(path_url: str) -> str:
    """The target the center checks a signature over: the percent-decoded path (as the ASGI server hands it
    over) with Starlette's re-escaping of ``?``, ``#`` and ``\\``, then the query string as sent."""
    path, mark, query = path_url.partition("?")
    return unquote(path).replace("?", "%3F").replace("#", "%23").replace("\\", "%5C") + mark + query


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, SigningKey]]:
    """The app over a center on SQLite: room-a enrolled, a three-event session pushed, an archive upload begun."""
    base = tmp_path_factory.mktemp("fuzz")
    key = SigningKey.generate()
    center = Center(Config.default(base / "center"), key=SigningKey.generate())
    center.enroll(ROOM, key.public)
    center.enroll(OBSERVER, OBSERVER_KEY.public, "observer")
    app = create_app(center)
    assert app.openapi() == SPEC
    events = [new_event(key, SESSION, 1, None, utc_stamp(), "session.created",
                        {"room": ROOM, "room_key": key_to_json(key.public)})]
    for seq in (2, 3):
        events.append(new_event(key, SESSION, seq, events[-1].id, utc_stamp(), "note", {"text": f"note {seq}"}))
    bag = ck.make_bag(base / "bag", {"a.txt": b"alpha", "b.txt": b"beta"})
    KNOWN["archive"] = protocol.archive_id(bag)
    with CenterClient("http://testserver", ROOM, key, http=TestClient(app, base_url="http://testserver")) as client:
        assert len(client.push_events(SESSION, [ev.to_record() for ev in events])["accepted"]) == 3
        client.request("POST", f"/v1/archives/{KNOWN['archive']}",
                       {"session": SESSION, "chunk_size": 64 * 1024, "files": protocol.bag_files(bag)})
    yield app, key
    center.close()


@pytest.fixture
def reached(request: pytest.FixtureRequest) -> Iterator[Counter[tuple[int, bool]]]:
    """(status, answered by the center) of one operation's signed cases: some must be the center's answer."""
    seen: Counter[tuple[int, bool]] = Counter()
    yield seen
    assert any(answered for _, answered in seen), (
        f"{request.node.name}: signed requests never reached the center: {dict(seen)}")


def center_answered(response: schemathesis.Response) -> bool:
    """A 2xx, or a refusal of the center's own (``{"error": …}``) past the signature check (not 401/403);
    FastAPI refuses another method (405) or a malformed request (400/422) itself, with ``detail``."""
    if response.status_code < 300:
        return True
    try:
        return response.status_code not in (401, 403) and "error" in response.json()
    except ValueError:
        return False


@unsigned.parametrize()
@FUZZ
def test_unsigned_requests_are_refused_with_a_4xx(case: schemathesis.Case, served: tuple[FastAPI, SigningKey]) -> None:
    response = case.call(app=served[0], timeout=10)
    case.validate_response(response, checks=[not_a_server_error])
    if case.operation.path not in PUBLIC:
        assert 400 <= response.status_code < 500, (case.operation.label, response.status_code, response.text[:300])


@signed.parametrize()
@FUZZ
def test_signed_requests_never_get_a_5xx(case: schemathesis.Case, served: tuple[FastAPI, SigningKey],
                                         reached: Counter[tuple[int, bool]]) -> None:
    auth = Signed(OBSERVER_KEY, OBSERVER) if case.operation.path == "/v1/status" else Signed(served[1], ROOM)
    response = case.call(app=served[0], auth=auth, params=shortened(case), timeout=10)
    reached[response.status_code, center_answered(response)] += 1
    case.validate_response(response, checks=[not_a_server_error])


def test_numbers_beyond_the_ledger_range_are_refused_with_a_4xx(served: tuple[FastAPI, SigningKey]) -> None:
    """Whole numbers past 64 bits reached SQLite (OverflowError), past 2**53 - 1 canonical JSON (CanonicalError):
    500s."""
    app, key = served
    http = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)

    def call(method: str, target: str, payload: Any = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = {"Content-Type": "application/json", **protocol.sign_request(key, ROOM, method, target, body)}
        return http.request(method, target, content=body, headers=headers)

    huge = 2**63
    for frontier in ({"a": huge}, {"a": -huge}):
        answer = call("POST", f"/v1/sessions/{SESSION}/pull", {"frontier": frontier})
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "frontier", "a"]
    assert call("POST", f"/v1/sessions/{SESSION}/pull", {"frontier": {"a": MAX_INT + 1}}).status_code == 422
    assert call("POST", f"/v1/sessions/{SESSION}/pull", {"frontier": {"a": MAX_INT}}).status_code == 200
    assert call("GET", f"/v1/stream?session={SESSION}&after={huge}").status_code == 422
    listing = [{"path": "tagmanifest-sha256.txt", "size": huge, "sha256": KNOWN["archive"]}]
    answer = call("POST", f"/v1/archives/{KNOWN['archive']}", {"session": SESSION, "files": listing})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "files", 0, "size"]
    record = call("POST", f"/v1/sessions/{SESSION}/pull", {"frontier": {}, "limit": 1}).json()["records"][0]
    record["event"]["seq"] = huge  # a record otherwise well formed: refused as malformed, nothing stored
    answer = call("POST", f"/v1/sessions/{SESSION}/events", {"records": [record]})
    assert answer.status_code == 200 and answer.json()["accepted"] == [] and answer.json()["rejected"] == [
        {"id": record["id"], "reason": f"format: seq {huge} is not a whole number from 1 to 2**53 - 1"}]

