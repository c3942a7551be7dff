"""Deterministic Intercom-style identifiers drawn from a seeded generator."""

from __future__ import annotations

import random
import uuid


def object_id(rng: random.Random, ts: int) -> str:
    """A 24-hex id like Intercom's (a timestamp prefix, then random bits)."""
    return f"{ts & 0xFFFFFFFF:08x}{rng.getrandbits(64):016x}"


def uuid4(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng``."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Counter:
    """Hands out increasing numeric-string ids.

    Args:
        start: the first id.
    """

    def __init__(self, start: int) -> None:
        self.value = start

    def __call__(self) -> str:
        """Return the next id."""
        current = self.value
        self.value += 1
        return str(current)
