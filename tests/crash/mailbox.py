"""A mail backend for the crash-safety test: one file per message, and a gate that holds sending.

While the file named by CRASH_MAIL_GATE exists, a send first leaves a marker in `started/` and then
waits, so the test can SIGKILL the worker at a moment it knows a delivery is in progress. A message is
written to a temporary name and renamed, so a killed send never leaves a half message in `new/`.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class GatedMailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        root = Path(os.environ["CRASH_MAILBOX"])
        gate = os.environ.get("CRASH_MAIL_GATE", "")
        for message in email_messages:
            name = uuid.uuid4().hex
            (root / "started" / name).touch()
            while gate and os.path.exists(gate):
                time.sleep(0.05)
            (root / "tmp" / name).write_bytes(message.message().as_bytes())
            os.replace(root / "tmp" / name, root / "new" / f"{name}.eml")
        return len(email_messages)
