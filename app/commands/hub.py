"""`evalroom hub serve`: the center's service on the room LAN, for workstations when the center is unreachable."""

from __future__ import annotations

import argparse

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError
from app.commands.center import check_serve, run_serve, server_options


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("hub", help="the room hub: the center's sync service on the room LAN")
    actions = parser.add_subparsers(dest="hub_command", metavar="{serve,discover}", parser_class=type(parser))
    actions.required = True
    serve = actions.add_parser("serve", help="run the hub (workstations enroll and sync here; same API as the center)")
    server_options(serve, 8471)
    serve.add_argument("--upstream", metavar="URL",
                       help="the center: forward what the hub holds whenever it is reachable")
    serve.add_argument("--room", metavar="ROOM_ID",
                       help="the room id enrolled at the center (with --upstream); announced with --advertise")
    serve.add_argument("--room-key", metavar="P12", help="the room key (PKCS#12; passphrase $EVALROOM_KEY_PASSPHRASE)")
    serve.add_argument("--upstream-cafile", metavar="PEM", help="CA certificate(s) for an https:// center")
    serve.add_argument("--upstream-cert", metavar="PEM", help="client certificate for a center requiring mutual TLS …")
    serve.add_argument("--upstream-key", metavar="PEM", help="… and its private key")
    serve.add_argument("--relay-interval", type=float, default=5.0, metavar="S",
                       help="seconds between relays (default 5)")
    serve.add_argument("--relay-max-wait", type=float, default=300.0, metavar="S",
                       help="longest back-off while the center is unreachable (default 300)")
    serve.add_argument("--room-ca", metavar="PEM",
                       help="the room's LAN CA that issued --tls-cert: published at /v1/room-ca for pairing PCs to pin")
    serve.add_argument("--advertise", action="store_true",
                       help="announce the hub on the LAN by mDNS/DNS-SD (_evalroom-hub._tcp; needs --room)")
    serve.add_argument("--exit-with-parent", type=int, metavar="PID",
                       help="stop when process PID (the console that started this hub) ends")
    serve.set_defaults(handler=lambda args: run_serve(args, "hub"), check=lambda args: check_serve(args, "hub"))
    discover = actions.add_parser("discover", help="list the room hubs announced on the LAN (JSON lines; exit 1: none)")
    discover.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds to listen (default 3)")
    discover.add_argument("--interface", action="append", metavar="IP",
                          help="ask on the interface with this address only (repeatable; default all)")
    discover.add_argument("--room", metavar="ROOM_ID", help="only the hubs of this room")
    discover.set_defaults(handler=run_discover, check=check_discover)


def check_discover(args: argparse.Namespace) -> None:
    import ipaddress

    if not 0 < args.timeout <= 60:
        raise UsageError(f"hub discover: --timeout {args.timeout:g}: give 0 to 60 seconds")
    for address in args.interface or ():
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise UsageError(f"hub discover: --interface {address}: not an IP address") from None


def run_discover(args: argparse.Namespace) -> int:
    import json
    import sys

    from app.sync.discovery import browse

    check_discover(args)
    try:
        hubs = browse(args.timeout, args.interface, room=args.room)
    except OSError as exc:
        raise UsageError(f"hub discover: cannot use multicast DNS: {exc.strerror or exc}") from exc
    for hub in hubs:
        print(json.dumps(hub.as_json(), ensure_ascii=False, sort_keys=True), flush=True)
    if not hubs:
        which = f" of room {args.room}" if args.room else ""
        print(f"evalroom hub discover: no hub{which} answered within {args.timeout:g} s", file=sys.stderr)
    return EXIT_OK if hubs else EXIT_INVALID
