"""`make bench`: every benchmark of the project, one after the other (today: the annual report's builders)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report_bench  # noqa: E402  (the path above makes the repository importable)

if __name__ == "__main__":
    sys.exit(report_bench.main())
