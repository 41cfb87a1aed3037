"""`evalroom hub serve`: the center's service on the room LAN, for workstations when the center is unreachable."""

from __future__ import annotations

import argparse

from app.commands.center import check_serve, run_serve, server_options


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("hub", help="the room hub: the center's sync service on the room LAN")
    actions = parser.add_subparsers(dest="hub_command", metavar="{serve}", parser_class=type(parser))
    actions.required = True
    serve = actions.add_parser("serve", help="run the hub (workstations enroll and sync here; same API as the center)")
    server_options(serve, 8471)
    serve.add_argument("--upstream", metavar="URL",
                       help="the center: forward what the hub holds whenever it is reachable")
    serve.add_argument("--room", metavar="ROOM_ID", help="the room id enrolled at the center (with --upstream)")
    serve.add_argument("--room-key", metavar="P12", help="the room key (PKCS#12; passphrase $EVALROOM_KEY_PASSPHRASE)")
    serve.add_argument("--upstream-cafile", metavar="PEM", help="CA certificate(s) for an https:// center")
    serve.add_argument("--upstream-cert", metavar="PEM", help="client certificate for a center requiring mutual TLS …")
    serve.add_argument("--upstream-key", metavar="PEM", help="… and its private key")
    serve.add_argument("--relay-interval", type=float, default=5.0, metavar="S",
                       help="seconds between relays (default 5)")
    serve.add_argument("--relay-max-wait", type=float, default=300.0, metavar="S",
                       help="longest back-off while the center is unreachable (default 300)")
    serve.set_defaults(handler=lambda args: run_serve(args, "hub"), check=lambda args: check_serve(args, "hub"))
