"""A real HTTP receiver on a loopback port, checking requests as a subscriber's server would."""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from ungcuu.webhooks import signing


@dataclass
class Receiver:
    secret: str = ""
    fail_next: int = 0  # answer 503 to this many requests before accepting
    accepted: list[dict] = field(default_factory=list)
    raw: list[tuple[bytes, dict]] = field(default_factory=list)  # every request as received
    refused: list[str] = field(default_factory=list)
    guard: signing.ReplayGuard = field(default_factory=signing.ReplayGuard)
    url: str = ""

    def handle(self, body: bytes, headers: dict) -> tuple[int, str]:
        self.raw.append((body, headers))
        if self.fail_next > 0:
            self.fail_next -= 1
            return 503, "busy, try later"
        try:
            timestamp = signing.verify(self.secret, body, headers.get(signing.SIGNATURE_HEADER, ""))
            self.guard.check(headers.get(signing.DELIVERY_HEADER, ""), timestamp)
        except signing.SignatureError as error:
            self.refused.append(str(error))
            return 409 if "replay" in str(error) else 401, str(error)
        self.accepted.append(json.loads(body))
        return 200, "ok"


def serve(receiver: Receiver, tls: ssl.SSLContext | None = None):
    """Listen on a loopback port; with `tls`, HTTPS with that server context (its certificate)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, text = receiver.handle(body, dict(self.headers.items()))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        # The handshake runs at accept: a client that refuses the certificate never reaches the handler.
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls is not None else "http"
    receiver.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hooks/ungcuu"
    return server


def replay(url: str, body: bytes, headers: dict) -> int:
    """Send a captured request again, byte for byte, as an attacker on the wire would."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    keep = {k: v for k, v in headers.items() if k.lower().startswith("x-ungcuu") or k == "Content-Type"}
    connection.request("POST", parts.path, body=body, headers=keep)
    status = connection.getresponse().status
    connection.close()
    return status
