"""Fail when a user-facing string has no Vietnamese translation (Vietnamese is the default UI language).

Regenerates the catalogue with makemessages into the real file, reads what is missing, then restores the
committed file so the check never edits the tree.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "locale/vi/LC_MESSAGES/django.po"


def main() -> int:
    backup = pathlib.Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy2(PO, backup)
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "vi",
                "--no-obsolete",
                "-i",
                ".venv/*",
                "-v",
                "0",
            ],
            cwd=ROOT,
            check=True,
            # makemessages only reads the code: the local mode spares it a production SECRET_KEY.
            env={**os.environ, "UNGCUU_DEMO": "1"},
        )
        fresh = polib.pofile(str(PO))
        missing = [e.msgid for e in fresh if not e.translated() and not e.obsolete]
    finally:
        shutil.copy2(backup, PO)
    if missing:
        print(f"{len(missing)} string(s) lack a Vietnamese translation in {PO.relative_to(ROOT)}:")
        for msgid in missing[:50]:
            print(f"  - {msgid!r}")
        print("Run `.venv/bin/python manage.py makemessages -l vi -i '.venv/*'` and translate them.")
        return 1
    print("translations: every user-facing string has Vietnamese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
