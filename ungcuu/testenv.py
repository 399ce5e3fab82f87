"""pytest plugin (loaded with `-p ungcuu.testenv` before Django's settings): the suite runs in the local
demo mode, so it needs no SECRET_KEY and plain-HTTP test clients are not redirected to HTTPS.

Tests that need production behaviour (the settings refusal, `check --deploy`) run Django in a subprocess
with their own environment.
"""

import os

os.environ.setdefault("UNGCUU_DEMO", "1")
