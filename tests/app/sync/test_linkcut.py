"""The relay that cuts one PC's link to the hub (the LAN walkthrough's pulled cable), against a real hub process:
requests pass untouched, a cut fails them at once with the client's own "unreachable" error, a heal restores them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import centerkit as ck
from app.sync.linkcut import LinkCut


def test_a_cut_link_fails_at_once_and_heals(tmp_path: Path) -> None:
    hub = ck.start_server(tmp_path / "hub", role="hub")
    relay = LinkCut(("127.0.0.1", hub.port))
    try:
        url = f"http://{relay.url_host}"
        with httpx.Client(base_url=url, timeout=5) as client:  # one kept-alive connection across the cut
            assert client.get("/healthz").json()["role"] == "hub"
            start = relay.cut()
            assert relay.is_cut
            for _ in range(3):
                with pytest.raises(httpx.TransportError):
                    client.get("/healthz")
            end = relay.heal()
            assert client.get("/healthz").status_code == 200
        assert relay.cuts == [(start, end)] and end > start
        assert httpx.get(f"http://127.0.0.1:{hub.port}/healthz", timeout=5).status_code == 200  # the hub never knew
    finally:
        relay.close()
        hub.stop()
