"""``python -m match_worker COMMAND``: the face engine's command line.

Commands: ``eval`` (:mod:`match_worker.evaluation`). The benchmark runs as
``python -m match_worker.bench``. Nothing here imports Django.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["eval"]:
        from match_worker.evaluation import main as evaluate

        return evaluate(args[1:])
    print(
        "usage: python -m match_worker eval DATASET_DIR | --gallery G --probes P", file=sys.stderr
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
