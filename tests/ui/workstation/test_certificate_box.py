"""The certificate box of the workstation's check-in (the pairing page): a PKCS#12 file read in the background with
its subject, issuer and validity shown, a wrong passphrase said on the page, a USB key (SoftHSM2) with a wrong PIN
refused clearly and the page still usable, the right PIN reading the token's certificate; screenshots offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from opensslpki import PASSPHRASE, make_ca
from softhsm import MODULE, key_with_certificate, needs_softhsm, new_token
from ui.checkin.certificate_box import P12, TOKEN
from ui.launch import application
from ui.walkthrough import wait_until
from ui.workstation.pairing_page import PairingPage

SHOTS = Path(os.environ.get("EVALROOM_SHOTS") or "/tmp/evalroom-shots")
pytestmark = pytest.mark.gui


def _page(qtbot, home: Path) -> PairingPage:  # type: ignore[no-untyped-def]
    application()
    page = PairingPage(home, b"pc passphrase 1", hub_url=None, discover=False)
    qtbot.addWidget(page)
    page.resize(900, 900)
    page.show()
    return page


def test_a_pkcs12_certificate_is_read_and_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ca = make_ca(tmp_path / "ca", "Shenzhen CA", "sm2")
    p12 = ca.issue("张三 Expert", tmp_path / "zhang.p12")
    page = _page(qtbot, tmp_path / "pc")
    box = page.cert_box
    assert box.chosen() == (None, None) and not box.file.isVisible()
    box.kind.setCurrentIndex(box.kind.findData(P12))
    assert box.file.isVisible() and not box.pin.isVisible()
    assert box.chosen()[1] is not None  # chosen but not read: the check-in says so
    box.file.setText(str(p12))
    box.passphrase.setText("wrong")
    box.read_button.click()
    wait_until(lambda: not box.busy and "passphrase" in box.message.text(), "the wrong passphrase was not said")
    assert box.opened is None and box.read_button.isEnabled()
    box.passphrase.setText(PASSPHRASE)
    box.read_button.click()
    wait_until(lambda: box.opened is not None, "the certificate was not read")
    facts = box.facts_text()
    assert "CN=张三 Expert" in facts and "CN=Shenzhen CA" in facts and "SM2" in facts and " 至 " in facts
    assert box.passphrase.text() == ""  # not kept in the field
    assert box.chosen() == (box.opened, None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "checkin-certificate-p12.png"))


@needs_softhsm
def test_a_usb_key_wrong_pin_is_refused_and_the_right_one_reads_it(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ca = make_ca(tmp_path / "ca", "UKey CA", "rsa")
    slot = new_token("page-ukey", "271828")
    key_with_certificate("page-ukey", "271828", ca, "Expert UKey", "ecdsa")
    monkeypatch.setenv("EVALROOM_PKCS11_MODULE", str(MODULE))
    monkeypatch.setenv("EVALROOM_PKCS11_SLOT", str(slot))
    page = _page(qtbot, tmp_path / "pc")
    box = page.cert_box
    box.kind.setCurrentIndex(box.kind.findData(TOKEN))
    assert box.pin.isVisible() and str(MODULE) in box.token_where.text()
    box.pin.setText("000000")
    box.read_button.click()
    wait_until(lambda: not box.busy and "PIN" in box.message.text(), "the wrong PIN was not said")
    assert "page-ukey" in box.message.text() and box.opened is None and box.pin.text() == ""
    assert page.button.isEnabled() and box.read_button.isEnabled()  # the page goes on: nothing is locked
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "checkin-certificate-wrong-pin.png"))
    box.pin.setText("271828")
    box.read_button.click()
    wait_until(lambda: box.opened is not None, "the token's certificate was not read")
    assert "CN=Expert UKey" in box.facts_text() and "ECDSA" in box.facts_text()
    page.grab().save(str(SHOTS / "checkin-certificate-token.png"))
    box.kind.setCurrentIndex(box.kind.findData(P12))  # another choice closes the token's session
    assert box.opened is None
