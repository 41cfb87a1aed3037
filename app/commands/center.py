"""`evalroom center serve|enroll|verify` (spec/cli.md) and the shared server runner used by `hub serve`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError


def _storage_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, metavar="DIR",
                        help="the center's folder (key, default database and blobs)")
    parser.add_argument("--db", metavar="URL",
                        help="SQLAlchemy URL (default sqlite:///DIR/center.sqlite; postgresql+psycopg://…)")
    parser.add_argument("--blobs", metavar="URL",
                        help="blob store: a folder (default DIR/blobs) or s3://BUCKET[/PREFIX]?endpoint=URL")


def server_options(parser: argparse.ArgumentParser, port: int) -> None:
    _storage_options(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=port, help=f"port (default {port}; 0 = any free port)")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain) …")
    parser.add_argument("--tls-key", metavar="PEM", help="… and this private key")
    parser.add_argument("--client-ca", metavar="PEM",
                        help="mutual TLS: require a client certificate issued by these CA(s)")
    parser.add_argument("--port-file", metavar="FILE", help="write the bound port here once listening")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("center", help="the trading center service: serve, enroll rooms, verify storage")
    actions = parser.add_subparsers(dest="center_command", metavar="{serve,enroll,verify}", parser_class=type(parser))
    actions.required = True
    serve = actions.add_parser("serve", help="run the center HTTP service (FastAPI + uvicorn)")
    server_options(serve, 8470)
    serve.add_argument("--tsa", metavar="URL",
                       help="RFC 3161 TSA that stamps archives arriving without a timestamp, the token in the receipt "
                            "(default: the settings' tsa_url; \"\" for none)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="serve with N processes on the one port and database (default 1; POSIX)")
    serve.set_defaults(handler=lambda args: run_serve(args, "center"), check=lambda args: check_serve(args, "center"))
    enroll = actions.add_parser("enroll", help="enroll a room (or the supervision platform) with its public key")
    _storage_options(enroll)
    enroll.add_argument("--room", required=True, metavar="ROOM_ID")
    enroll.add_argument("--public-key", metavar="PEM",
                        help="the room's public key (room.pub.pem); may be left out with --issue-room-cert/--room-cert "
                             "to issue or record the room's seal alone (before its key is enrolled, or after)")
    enroll.add_argument("--observer", action="store_true",
                        help="read-only client (supervision platform): stream and pull only")
    enroll.add_argument("--replace", action="store_true", help="replace the key of an enrolled room")
    seal = enroll.add_mutually_exclusive_group()
    seal.add_argument("--issue-room-cert", metavar="OUT.p12",
                      help="issue the room's report-seal certificate from the center's CA (made on first use: "
                           "DATA/center-ca.pem): key, certificate and CA written to OUT.p12 under "
                           "$EVALROOM_CERT_PASSPHRASE, for the room (simulate --room-cert)")
    seal.add_argument("--room-cert", metavar="P12_OR_PEM",
                      help="the room's report-seal certificate from a real CA (PKCS#12 under "
                           "$EVALROOM_CERT_PASSPHRASE, or PEM): checked against the settings' trust store and kept")
    enroll.set_defaults(handler=run_enroll, check=check_enroll)
    verify = actions.add_parser("verify", help="re-verify every ledger and archive the center stores")
    _storage_options(verify)
    verify.set_defaults(handler=run_verify, check=lambda args: _check_data(args, "center verify"))


def open_center(args: argparse.Namespace, role: str = "center", serving: bool = False):  # type: ignore[no-untyped-def]
    from app.center.service import Center, Config
    from app.center.storage.blobs import BlobError

    try:
        center = Center(Config.default(Path(args.data), args.db, args.blobs, role, tsa_url=_tsa_url(args, role)))
    except (BlobError, ValueError) as exc:
        raise UsageError(f"{role}: {exc}") from exc
    except Exception as exc:  # a database URL that does not connect
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg", "botocore")):
            raise UsageError(f"{role}: cannot open storage: {exc.__class__.__name__}: "
                             f"{str(exc).splitlines()[0]}") from exc
        raise
    if role == "center":  # archives arriving: their members' certificates against this PC's trust store too
        from app.services.certificates import trust_from_settings
        from app.settings import current

        store = trust_from_settings(current())
        own = Path(args.data) / "center-ca.pem"  # the CA that issues rooms' seals is trusted with the others
        if store and own.is_file():
            from app.crypto.certs import load_pem_certificates

            store = store.with_roots(load_pem_certificates(own))
        center.trust = store if store or store.crls else None
    info = center.key_info
    if info is not None and info.note and (info.changed or serving):  # how the key is kept: said when serving
        print(f"evalroom {role}: note: {info.note}", file=sys.stderr, flush=True)
    return center


def _tsa_url(args: argparse.Namespace, role: str) -> str | None:
    """The center's TSA: ``--tsa`` (``center serve``), else the settings' ``tsa_url``; a hub stamps nothing."""
    from app.settings import SettingsError, current, with_values

    if role != "center":
        return None
    given = getattr(args, "tsa", None)
    if given is None:
        return current().tsa_url
    try:
        return with_values(current(), tsa_url=given).tsa_url
    except SettingsError as exc:
        raise UsageError(f"center serve: --tsa {given!r}: not an http:// or https:// URL") from exc


def _check_data(args: argparse.Namespace, what: str) -> None:
    data = Path(args.data)
    if data.exists() and not data.is_dir():
        raise UsageError(f"{what}: --data {args.data}: not a folder")


def check_serve(args: argparse.Namespace, role: str) -> None:
    """The options of ``center serve`` / ``hub serve``, before anything is created (the log folder, DIR)."""
    _check_data(args, f"{role} serve")
    _tsa_url(args, role)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"{role} serve: --port {args.port}: not a port number (0 to 65535)")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError(f"{role} serve: --tls-cert and --tls-key go together")
    if args.client_ca and not args.tls_cert:
        raise UsageError(f"{role} serve: --client-ca needs --tls-cert and --tls-key (mutual TLS is HTTPS)")
    for option in ("tls_cert", "tls_key", "client_ca", "room_ca", "room_key", "upstream_cafile", "upstream_cert",
                   "upstream_key"):
        value = getattr(args, option, None)
        if value and not Path(value).is_file():
            raise UsageError(f"{role} serve: --{option.replace('_', '-')} {value}: no such file")
    if getattr(args, "room_ca", None):
        _check_room_ca(args.room_ca, args.tls_cert)
    workers = getattr(args, "workers", 1)
    if not 1 <= workers <= 64:
        raise UsageError(f"{role} serve: --workers {workers}: from 1 to 64 processes")
    if workers > 1 and not hasattr(os, "fork"):
        raise UsageError(f"{role} serve: --workers {workers}: several processes need a POSIX system (use 1 here)")
    parent = getattr(args, "exit_with_parent", None)
    if parent is not None and parent <= 0:
        raise UsageError(f"{role} serve: --exit-with-parent {parent}: not a process id")
    if getattr(args, "advertise", False) and not args.room:
        raise UsageError("hub serve: --advertise needs --room (the room id the hub announces)")
    if getattr(args, "upstream", None):
        from app.sync.client import check_url

        if not (args.room and args.room_key):
            raise UsageError("hub serve: --upstream needs --room and --room-key")
        if bool(args.upstream_cert) != bool(args.upstream_key):
            raise UsageError("hub serve: --upstream-cert and --upstream-key go together")
        check_url(args.upstream, "--upstream")


def _check_room_ca(room_ca: str, tls_cert: str | None) -> None:
    """``--room-ca`` is a CA certificate that issued ``--tls-cert`` (what a pairing PC pins must verify the hub)."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    if not tls_cert:
        raise UsageError("hub serve: --room-ca needs --tls-cert and --tls-key (the CA is pinned over HTTPS)")
    try:
        ca = x509.load_pem_x509_certificate(Path(room_ca).read_bytes())
        cert = x509.load_pem_x509_certificate(Path(tls_cert).read_bytes())
    except ValueError as exc:
        raise UsageError(f"hub serve: --room-ca / --tls-cert: not a PEM certificate: {exc}") from exc
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        raise UsageError(f"hub serve: --tls-cert {tls_cert} is not issued by --room-ca {room_ca}") from None


def _key_file_note(role: str, key: str) -> None:
    """Say so when the TLS private key can be read by others than its owner (POSIX)."""
    import os
    import stat

    if os.name == "posix" and Path(key).stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"evalroom {role}: note: --tls-key {key} can be read by other users (chmod 600 it)",
              file=sys.stderr, flush=True)


def run_serve(args: argparse.Namespace, role: str) -> int:
    import socket

    check_serve(args, role)
    if args.tls_key:
        _key_file_note(role, args.tls_key)
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP; with proto 0
    # a keep-alive response written in two parts waited for the client's delayed ACK (~40 ms a request)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        raise UsageError(f"{role} serve: cannot listen on {args.host}:{args.port}: {exc.strerror}") from exc
    workers = getattr(args, "workers", 1)
    if workers > 1:
        return _serve_workers(args, role, sock, workers)
    return _serve(args, role, sock, open_center(args, role, serving=True))


def _serve_workers(args: argparse.Namespace, role: str, sock, workers: int) -> int:  # type: ignore[no-untyped-def]
    """``--workers N``: N processes forked after the socket is bound, each with its own Center (engine, pool,
    group commit) on the one database and blob store; the kernel hands each connection to one of them. This
    process only watches: it starts a worker again when one dies, and stops them all on SIGTERM/SIGINT."""
    import signal
    import time

    center = open_center(args, role, serving=True)  # the key, its note and the schema, once, before forking
    center.close()
    sock.listen(2048)
    port = sock.getsockname()[1]
    print(f"evalroom {role}: {workers} worker processes", file=sys.stderr, flush=True)
    if args.port_file:
        Path(args.port_file).write_text(str(port), encoding="utf-8")
        args.port_file = None  # written once, by this process
    stopping = False
    children: dict[int, float] = {}

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: serve until told to stop, never return into the parent's code
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                code = _serve(args, role, sock, open_center(args, role), quiet=True)
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for _ in range(workers):
        start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        began = children.pop(pid, None)
        if began is None or stopping:
            continue
        print(f"evalroom {role}: worker {pid} ended ({os.waitstatus_to_exitcode(status)}): starting another",
              file=sys.stderr, flush=True)
        if time.monotonic() - began < 1:
            time.sleep(1)  # a worker that cannot start: not more than one attempt a second
        start()
    sock.close()
    return EXIT_OK


def _serve(args: argparse.Namespace, role: str, sock, center, quiet: bool = False) -> int:  # type: ignore[no-untyped-def]
    import ssl
    import threading

    import uvicorn

    from app.center.app import create_app

    app = create_app(center)
    room_ca = Path(args.room_ca).read_bytes() if getattr(args, "room_ca", None) else None
    app.state.room_ca = room_ca
    port = sock.getsockname()[1]
    scheme = "https" if args.tls_cert else "http"
    if not quiet:
        print(f"evalroom {role}: listening on {scheme}://{args.host}:{port} (data {center.config.data}, db "
              f"{center.engine.url.render_as_string(hide_password=True)}, blobs {center.blobs.url}"
              f"{'; client certificates required' if args.client_ca else ''}"
              f"{'; archives without a timestamp stamped by the TSA' if center.tsa_url else ''})", file=sys.stderr,
              flush=True)
    if args.port_file:
        Path(args.port_file).write_text(str(port), encoding="utf-8")
    tls: dict[str, object] = {}
    if args.client_ca:  # the TLS layer refuses a client without a certificate from these CAs
        tls = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": args.client_ca}
    config = uvicorn.Config(app, log_level="warning", ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
                            timeout_graceful_shutdown=2, **tls)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    relay = _relay(args, center) if getattr(args, "upstream", None) else None
    advertiser = None
    threading.Thread(target=_warm_up, name="evalroom-warm-up", daemon=True).start()
    parent = getattr(args, "exit_with_parent", None)
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(server, parent, role), name="evalroom-parent",
                         daemon=True).start()
    try:
        if getattr(args, "advertise", False):
            advertiser = _advertise(args, center, port, room_ca)
        server.run(sockets=[sock])
    finally:
        if advertiser is not None:
            advertiser.close()
        if relay is not None:
            relay.stop()
        center.close()
    return EXIT_OK


def _advertise(args: argparse.Namespace, center, port: int, room_ca: bytes | None):  # type: ignore[no-untyped-def]
    """The hub's mDNS/DNS-SD announcement (``hub serve --advertise``), with the sessions it holds."""
    from sqlalchemy import select

    from app.center.storage import db
    from app.crypto.room_ca import sha256_hex
    from app.sync.discovery import Advertiser

    def sessions() -> list[str]:
        with db.reading(center.engine) as c:
            return [r.id for r in c.execute(select(db.sessions.c.id))]

    try:
        advertiser = Advertiser(args.host, port, args.room, ca_sha256=sha256_hex(room_ca) if room_ca else "",
                                tls=bool(args.tls_cert), sessions=sessions)
    except OSError as exc:
        raise UsageError(f"hub serve: --advertise: cannot use multicast DNS on {args.host}: "
                         f"{exc.strerror or exc}") from exc
    print(f"evalroom hub: announcing on the LAN as {advertiser.info.name!r}", file=sys.stderr, flush=True)

    def report() -> None:  # the announcement completes on its own thread (mDNS probes the name first)
        if not advertiser.registered.wait(15):
            print(f"evalroom hub: note: not announced on the LAN: {advertiser.error or 'no answer in 15 s'}",
                  file=sys.stderr, flush=True)

    import threading

    threading.Thread(target=report, name="evalroom-advertise-report", daemon=True).start()
    return advertiser


def _watch_parent(server, parent: int, role: str) -> None:  # type: ignore[no-untyped-def]
    """``--exit-with-parent``: stop serving once the console ``parent`` has ended (POSIX: this process was handed
    to another parent; elsewhere: the end of stdin, the console's pipe)."""
    import os
    import time

    if os.name == "posix":
        while os.getppid() == parent:
            time.sleep(0.25)
    else:
        sys.stdin.read()
    print(f"evalroom {role}: the console that started it (pid {parent}) has ended: stopping", file=sys.stderr,
          flush=True)
    server.should_exit = True


def _warm_up() -> None:
    """Load the archive verification (reportlab-free, but pyHanko and PDFium: ~0.5 s) while the server
    waits for its first requests, not during the first archive's completion."""
    try:
        import pypdfium2  # noqa: F401
        from pyhanko.sign.validation import validate_pdf_signature  # noqa: F401

        import app.archive.verify  # noqa: F401
    except ImportError:  # verification then reports what is missing when an archive arrives
        pass


def _relay(args: argparse.Namespace, center):  # type: ignore[no-untyped-def]
    """The hub's forwarder to the center (``hub serve --upstream``)."""
    from app.crypto import passphrases
    from app.crypto.keys import KeyFileError, SigningKey
    from app.sync.client import CenterClient
    from app.sync.relay import Relay

    if not (args.room and args.room_key):
        raise UsageError("hub serve: --upstream needs --room and --room-key")
    try:  # the demo passphrase only for a key made by the demo or simulate tooling (its KDF file says so)
        from app.settings import current

        chosen = passphrases.resolve(passphrases.ROOM, demo=True, key=Path(args.room_key),
                                     file=current().key_passphrase_file)
        key = SigningKey.load(Path(args.room_key), chosen.secret)
    except (passphrases.PassphraseError, KeyFileError) as exc:
        raise UsageError(f"hub serve: --room-key {args.room_key}: {exc}") from exc
    if chosen.demo:
        print(f"evalroom hub: note: --room-key {args.room_key} is under the public demo passphrase (test tooling)",
              file=sys.stderr, flush=True)
    if bool(args.upstream_cert) != bool(args.upstream_key):
        raise UsageError("hub serve: --upstream-cert and --upstream-key go together")
    client = CenterClient(args.upstream, args.room, key, verify=args.upstream_cafile or True,
                          cert=(args.upstream_cert, args.upstream_key) if args.upstream_cert else None)
    relay = Relay(center, client, interval=args.relay_interval, max_wait=args.relay_max_wait)
    relay.start()
    print(f"evalroom hub: relaying to {args.upstream} as room {args.room}", file=sys.stderr, flush=True)
    return relay


def check_enroll(args: argparse.Namespace) -> None:
    """The public key, before anything is created: ``args.key`` on success (and ``args.seal``: a room certificate
    from a real CA, checked)."""
    from app.crypto.keys import KeyFileError, VerifyingKey

    _check_data(args, "center enroll")
    args.seal = None
    issue, given = getattr(args, "issue_room_cert", None), getattr(args, "room_cert", None)
    if (issue or given) and args.observer:
        raise UsageError("center enroll: --issue-room-cert / --room-cert are for a room, not an --observer")
    if issue or given:
        from app.center.ca import CenterCaError, check_room_id

        try:
            check_room_id(args.room)
        except CenterCaError as exc:
            raise UsageError(f"center enroll: --room: {exc}") from exc
    p12 = issue or (given and not given.lower().endswith((".pem", ".crt")))
    if p12 and os.environ.get(CERT_PASSPHRASE_ENV) is None:
        raise UsageError(f"center enroll: {CERT_PASSPHRASE_ENV} is not set (the passphrase of the room's "
                         "PKCS#12 file)")
    if issue and Path(issue).exists() and not args.replace:
        raise UsageError(f"center enroll: --issue-room-cert {issue}: already exists (--replace to issue another)")
    if given:
        args.seal = _given_room_cert(Path(given))
    if not args.public_key:
        if not (issue or given):
            raise UsageError("center enroll: --public-key PEM is required (or --issue-room-cert / --room-cert alone)")
        args.key = None
        return
    try:
        args.key = VerifyingKey.from_pem(Path(args.public_key).read_bytes())
    except OSError as exc:
        raise UsageError(f"center enroll: --public-key {args.public_key}: {exc.strerror}") from exc
    except (KeyFileError, ValueError) as exc:
        raise UsageError(f"center enroll: --public-key {args.public_key}: {exc}") from exc


CERT_PASSPHRASE_ENV = "EVALROOM_CERT_PASSPHRASE"


def _given_room_cert(path: Path):  # type: ignore[no-untyped-def]
    """``--room-cert``: a PKCS#12 (its key is not kept) or PEM certificate that can seal, accepted by the settings'
    trust store when one is configured."""
    from app.center.ca import CenterCaError, check_room_certificate
    from app.crypto.certs import CertificateFileError, load_p12, load_pem_certificates
    from app.crypto.trust import describe
    from app.services.certificates import trust_from_settings
    from app.settings import current

    try:
        if path.suffix.lower() in (".pem", ".crt"):
            certs = load_pem_certificates(path)
            if not certs:
                raise UsageError(f"center enroll: --room-cert {path}: holds no certificate")
            cert, chain = certs[0], certs[1:]
        else:
            loaded = load_p12(path, os.environ[CERT_PASSPHRASE_ENV].encode("utf-8"))
            cert, chain = loaded.cert, loaded.chain
        check_room_certificate(cert)
    except (CertificateFileError, CenterCaError) as exc:
        raise UsageError(f"center enroll: --room-cert {path}: {exc}") from exc
    store = trust_from_settings(current())
    if store:
        problem = store.problem(cert, chain)
        if problem:
            raise UsageError(f"center enroll: --room-cert {path}: {describe(cert)!r}: {problem}")
    return cert, bool(store)


def run_enroll(args: argparse.Namespace) -> int:
    if not hasattr(args, "key"):
        check_enroll(args)
    key = args.key
    center = open_center(args)
    try:
        if key is not None:
            outcome = center.enroll(args.room, key, "observer" if args.observer else "room", replace=args.replace)
            print(f"{outcome}: room {args.room} key {key.key_id}")
        if args.issue_room_cert or args.seal is not None:
            _enroll_seal(args, center)
    finally:
        center.close()
    return EXIT_OK


def _enroll_seal(args: argparse.Namespace, center) -> None:  # type: ignore[no-untyped-def]
    from app.center.ca import fingerprint, issue_room_certificate, open_center_ca, record_room_certificate, room_p12
    from app.crypto.trust import describe
    from app.durable import write_private

    data = center.config.data
    if args.issue_room_cert:
        ca = open_center_ca(data, center.key)
        private, cert = issue_room_certificate(ca, args.room)
        out = Path(args.issue_room_cert)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_private(out, room_p12(private, cert, ca, os.environ[CERT_PASSPHRASE_ENV].encode("utf-8")))
        how = f"issued by the center CA ({ca.pem}) into {out}"
    else:
        cert, checked = args.seal
        how = "from its CA, " + ("accepted by the settings' trust store" if checked else
                                 "not checked against a trust store (none configured: trust_ca_files)")
    record_room_certificate(data, args.room, cert)
    print(f"room certificate: room {args.room} {describe(cert)!r} (SHA-256 {fingerprint(cert)[:16]}…, until "
          f"{cert.not_valid_after_utc:%Y-%m-%d}) {how}; archives of this room must be sealed by it")


def run_verify(args: argparse.Namespace) -> int:
    center = open_center(args)
    try:
        problems = center.verify_all()
        view = center.overview()
    finally:
        center.close()
    for problem in problems:
        print(problem)
    print(f"evalroom: checked {len(view['sessions'])} sessions and "
          f"{sum(1 for a in view['archives'] if a['status'] == 'verified')} archives", file=sys.stderr)
    return EXIT_OK if not problems else EXIT_INVALID
