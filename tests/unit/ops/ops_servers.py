"""Real local servers the alert tests deliver to: an SMTP sink speaking the SMTP dialogue (RFC 5321: EHLO,
STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing, QUIT) and an HTTP endpoint recording POSTs. Both bind
127.0.0.1 on a free port chosen by the OS and are stopped by the fixture that started them."""

from __future__ import annotations

import base64
import json
import socketserver
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _SmtpHandler(socketserver.StreamRequestHandler):
    def send(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode("ascii"))
        self.wfile.flush()

    def handle(self) -> None:
        server = self.server
        self.send("220 sink.local ESMTP test sink")
        envelope: dict = {"from": None, "to": [], "auth": None, "tls": False}
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                offers = ["8BITMIME"]
                if server.tls_context is not None and not envelope["tls"]:
                    offers.append("STARTTLS")
                elif server.require_auth:
                    offers.append("AUTH PLAIN")  # like real servers: no login before TLS when TLS is offered
                self.wfile.write("".join(f"250-{o}\r\n" for o in ["sink.local", *offers[:-1]]).encode())
                self.send(f"250 {offers[-1]}")
            elif verb == "STARTTLS" and server.tls_context is not None:
                self.send("220 2.0.0 Ready to start TLS")
                self.connection = server.tls_context.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                envelope = {"from": None, "to": [], "auth": None, "tls": True}
            elif verb == "HELO":
                self.send("250 sink.local")
            elif verb == "AUTH":
                parts = line.split()
                token = parts[2] if len(parts) > 2 else ""
                _, user, password = base64.b64decode(token).decode("utf-8").split("\x00")
                if (user, password) == server.require_auth:
                    envelope["auth"] = user
                    self.send("235 2.7.0 Authentication successful")
                else:
                    self.send("535 5.7.8 Authentication credentials invalid")
            elif verb == "MAIL":
                if server.require_auth and not envelope["auth"]:
                    self.send("530 5.7.0 Authentication required")
                    continue
                envelope["from"] = line.split(":", 1)[1].strip().split()[0].strip("<>")
                self.send("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(line.split(":", 1)[1].strip().strip("<>"))
                self.send("250 OK")
            elif verb == "DATA":
                self.send("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = message_from_bytes(b"".join(lines), policy=policy.default)
                server.messages.append({**envelope, "message": message})
                envelope = {**envelope, "from": None, "to": []}
                self.send("250 OK queued")
            elif verb == "RSET":
                envelope = {**envelope, "from": None, "to": []}
                self.send("250 OK")
            elif verb == "NOOP":
                self.send("250 OK")
            elif verb == "QUIT":
                self.send("221 Bye")
                return
            else:
                self.send("502 5.5.2 Command not recognized")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, require_auth: tuple[str, str] | None = None, tls_context=None):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[dict] = []
        self.require_auth = require_auth
        self.tls_context = tls_context
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _HookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.server.requests.append(
            {"path": self.path, "content_type": self.headers.get("Content-Type"), "json": json.loads(body)}
        )
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


class HookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status: int = 200):
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.requests: list[dict] = []
        self.status = status
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/social-roi"

    def __enter__(self) -> HookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def self_signed_tls(folder) -> tuple[object, str]:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1, and the certificate's PEM path
    (the CA file a client must trust)."""
    import datetime
    import ipaddress
    import ssl
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / "sink.pem", Path(folder) / "sink.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context, str(cert_path)
