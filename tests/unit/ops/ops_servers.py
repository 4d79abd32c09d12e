"""Real local servers the alert tests deliver to: an SMTP sink speaking the SMTP dialogue (RFC 5321: EHLO, AUTH
PLAIN, MAIL, RCPT, DATA with dot-stuffing, QUIT) and an HTTP endpoint recording POSTs. Both bind 127.0.0.1 on a
free port chosen by the OS and are stopped by the fixture that started them."""

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
        envelope: dict = {"from": None, "to": [], "auth": None}
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink.local\r\n250-8BITMIME\r\n")
                self.send("250 AUTH PLAIN" if server.require_auth else "250 SIZE 1000000")
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
                envelope = {"from": None, "to": [], "auth": envelope["auth"]}
                self.send("250 OK queued")
            elif verb == "RSET":
                envelope = {"from": None, "to": [], "auth": envelope["auth"]}
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

    def __init__(self, require_auth: tuple[str, str] | None = None):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[dict] = []
        self.require_auth = require_auth
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
