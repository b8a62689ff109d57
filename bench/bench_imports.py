"""What `import app` costs, by package: the Python objects each module's import left behind (tracemalloc) and the
resident memory it grew by (RSS, less its own imports'), in one process.

    .venv/bin/python bench/bench_imports.py [--top 40] [--modules] [--rss]

Each module's import is wrapped (importlib's _load_unlocked) to read both before and after it runs; a module's
own share is what is left once the modules it imported are taken away. Traced memory is what stays reachable; RSS
also counts shared libraries and what the allocator keeps after a large temporary, so it is noisier, and
tracemalloc's own bookkeeping doubles it: --rss reads RSS alone, without tracemalloc. Our own
packages are listed one level down (tracker.intake), SQLAlchemy's too.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import tracemalloc
from pathlib import Path

import _frozen_importlib

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def measured_import(name: str) -> dict[str, tuple[int, int]]:
    """module → (traced bytes, RSS bytes) of its own import."""
    own: dict[str, tuple[int, int]] = {}
    children: list[list[int]] = []
    load = _frozen_importlib._load_unlocked

    def measured_load(spec):
        children.append([0, 0])
        traced, rss = tracemalloc.get_traced_memory()[0], resident()
        try:
            return load(spec)
        finally:
            grown = (tracemalloc.get_traced_memory()[0] - traced, resident() - rss)
            inner = children.pop()
            own[spec.name] = (grown[0] - inner[0], grown[1] - inner[1])
            if children:
                children[-1][0] += grown[0]
                children[-1][1] += grown[1]

    _frozen_importlib._load_unlocked = measured_load
    try:
        __import__(name)
    finally:
        _frozen_importlib._load_unlocked = load
    return own


def package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("tracker", "sqlalchemy") and len(parts) > 1 else parts[0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=40, help="lines to print")
    parser.add_argument("--modules", action="store_true", help="by module rather than by package")
    parser.add_argument("--rss", action="store_true", help="RSS alone, sorted by it (no tracemalloc)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TRACKER_DATABASE_URL", "sqlite://")
    if not args.rss:
        tracemalloc.start()
    own = measured_import("app")
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    totals: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for module, (module_traced, module_rss) in own.items():
        key = module if args.modules else package(module)
        totals[key][0] += module_traced
        totals[key][1] += module_rss
    print(f"import app: {len(own)} modules loaded, {traced / 1e6:.1f} MB traced, RSS {resident() / 1e6:.1f} MB "
          f"{'' if args.rss else '(with tracemalloc bookkeeping)'}")
    print(f"{'traced MB':>10} {'RSS MB':>8}  {'module' if args.modules else 'package'}")
    for key, (key_traced, key_rss) in sorted(totals.items(), key=lambda item: -item[1][args.rss])[:args.top]:
        print(f"{key_traced / 1e6:10.2f} {key_rss / 1e6:8.2f}  {key}")


if __name__ == "__main__":
    main()
