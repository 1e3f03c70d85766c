"""Where the real data lives: the repo's shared/ sibling folder (seeds, dev corpus)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "corpus" / "dev"
TRAIN = SHARED / "corpus" / "train"
DATA = REPO / "tests" / "data"


def seed(prefix: str) -> Path:
    """The seed page whose name starts with ``prefix`` ("000", "001", …)."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path
