"""The linear partition limit must drop exactly the partitions the CDK's own drops."""

from __future__ import annotations

import random
import threading
from collections import OrderedDict
from types import SimpleNamespace

from airbyte_cdk.sources.declarative.incremental.concurrent_partition_cursor import (
    ConcurrentPerPartitionCursor,
)

from intercom_elt import partition_limit

_ORIGINAL = ConcurrentPerPartitionCursor._ensure_partition_limit


def _cursor(rng: random.Random, limit: int) -> SimpleNamespace:
    """A cursor's bookkeeping at the limit: some partitions finished, some in flight."""
    keys = [f'{{"id":"{n}"}}' for n in range(limit + rng.randint(0, 3))]
    in_flight = {key: n for n, key in enumerate(keys) if rng.random() < rng.choice([0.0, 0.1, 0.9, 1.0])}
    return SimpleNamespace(
        _use_global_cursor=rng.random() < 0.5,
        _cursor_per_partition=OrderedDict((key, f"cursor-{key}") for key in keys),
        _partition_key_to_index=in_flight,
        _lock=threading.Lock(),
        _number_of_partitions=len(keys) + rng.randint(0, 50),
        _stream_name="conversation_parts",
        DEFAULT_MAX_PARTITIONS_NUMBER=limit,
        SWITCH_TO_GLOBAL_LIMIT=limit // 2,
        limit_reached=lambda: rng.random() < 0.5,
    )


def test_drops_the_same_partitions_as_the_cdk() -> None:
    partition_limit.install()
    linear = ConcurrentPerPartitionCursor._ensure_partition_limit
    assert linear is not _ORIGINAL
    for seed in range(300):
        theirs, ours = _cursor(random.Random(seed), 40), _cursor(random.Random(seed), 40)
        _ORIGINAL(theirs)
        linear(ours)
        assert list(ours._cursor_per_partition.items()) == list(theirs._cursor_per_partition.items()), seed
        assert ours._use_global_cursor == theirs._use_global_cursor, seed
        assert len(ours._cursor_per_partition) == 39


def test_install_is_idempotent() -> None:
    partition_limit.install()
    installed = ConcurrentPerPartitionCursor._ensure_partition_limit
    partition_limit.install()
    assert ConcurrentPerPartitionCursor._ensure_partition_limit is installed
