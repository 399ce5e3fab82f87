"""Real mail servers for the tests: Debian's dovecot (IMAP) and aiosmtpd (SMTP), each on a free loopback
port, run by the test process itself (no system service, nothing listening beyond the test).

Dovecot runs unprivileged: as the calling user, or as `nobody` when the tests run as root (dovecot's
login process refuses to run as root), with its configuration, maildir and passwd-file user in a
temporary directory.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
IMAP_USER, IMAP_PASSWORD = "intake", "intake-test-password"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = ungcuu-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = $default_internal_user
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            imaplib.IMAP4("127.0.0.1", port, timeout=2).logout()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"dovecot did not answer on port {port}")


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen | None = None
    user: str = IMAP_USER
    password: str = IMAP_PASSWORD

    @classmethod
    def start(cls, root: Path) -> Dovecot:
        if not os.access(DOVECOT, os.X_OK):
            raise RuntimeError("dovecot is not installed: run scripts/ensure-system-packages as root")
        server = cls(root=root, port=free_port())
        as_root = os.geteuid() == 0
        account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(account.pw_gid).gr_name
        for name in ("run", "state", "mail", "home"):
            (root / name).mkdir(parents=True, exist_ok=True)
        (root / "passwd").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n")
        (root / "dovecot.conf").write_text(
            CONFIG.format(
                root=root,
                port=server.port,
                user=account.pw_name,
                group=group,
                uid=account.pw_uid,
                gid=account.pw_gid,
            )
        )
        if as_root:
            root.chmod(0o755)
            for path in [root, *root.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
        server.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
            user=account.pw_uid if as_root else None,
            group=account.pw_gid if as_root else None,
            extra_groups=[] if as_root else None,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(server.port, server.process, root / "dovecot.log")
        return server

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(self.user, self.password)
        connection.select("INBOX")
        return connection

    def deliver(self, raw: bytes) -> None:
        """Put a message in the INBOX the way a mail server's delivery would (IMAP APPEND)."""
        with _session(self) as imap:
            status, _data = imap.append("INBOX", None, None, raw)
            assert status == "OK"

    def empty(self) -> None:
        with _session(self) as imap:
            _status, data = imap.search(None, "ALL")
            if data[0].split():
                imap.store("1:*", "+FLAGS", r"(\Deleted)")
                imap.expunge()

    def count(self) -> int:
        with _session(self) as imap:
            status, data = imap.uid("SEARCH", None, "ALL")
            return len(data[0].split())

    def pending(self, keyword: str) -> int:
        with _session(self) as imap:
            status, data = imap.uid("SEARCH", None, f"UNKEYWORD {keyword}")
            return len(data[0].split())


class _session:
    def __init__(self, server: Dovecot):
        self.server = server

    def __enter__(self) -> imaplib.IMAP4:
        self.imap = self.server.client()
        return self.imap

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):
            self.imap.logout()


@dataclass
class SmtpSink:
    """aiosmtpd's controller with a handler that keeps each message's bytes as received."""

    port: int
    received: list = field(default_factory=list)
    controller: object = None

    @classmethod
    def start(cls) -> SmtpSink:
        from aiosmtpd.controller import Controller

        sink = cls(port=free_port())

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
                return "250 OK"

        sink.controller = Controller(Handler(), hostname="127.0.0.1", port=sink.port)
        sink.controller.start()
        return sink

    def stop(self) -> None:
        self.controller.stop()

    def messages(self):
        return [message_from_bytes(raw, policy=policy.default) for _f, _t, raw in self.received]


def cleanup(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
