"""A linear-time partition limit for the CDK's per-partition cursor.

conversation_parts has one partition per conversation. Past 25,000 partitions the CDK's
`ConcurrentPerPartitionCursor._ensure_partition_limit` copies the list of all 25,000
tracked partition keys for every new partition, to find the oldest finished one and
drop it: quadratic work that kept the large preset's sync (170,000 conversations)
busy on one core with the HTTP workers idle. This version walks the same keys in the
same order without copying them, so it drops exactly the partition the CDK drops.
"""

from __future__ import annotations

from typing import Any

_MARKER = "_intercom_elt_linear"


def install() -> None:
    """Replace `_ensure_partition_limit` (idempotent)."""
    from airbyte_cdk.sources.declarative.incremental import (  # noqa: PLC0415  # slow import
        concurrent_partition_cursor as module,
    )

    cursor_class = module.ConcurrentPerPartitionCursor
    if getattr(cursor_class._ensure_partition_limit, _MARKER, False):  # noqa: SLF001
        return
    logger = module.logger

    def _ensure_partition_limit(self: Any) -> None:
        if not self._use_global_cursor and self.limit_reached():
            logger.info(
                f"Exceeded the 'SWITCH_TO_GLOBAL_LIMIT' of {self.SWITCH_TO_GLOBAL_LIMIT}. "
                f"Switching to global cursor for {self._stream_name}."
            )
            self._use_global_cursor = True
        with self._lock:
            partitions = self._cursor_per_partition
            while len(partitions) > self.DEFAULT_MAX_PARTITIONS_NUMBER - 1:
                # The oldest finished partition; the loop stops before the dict changes.
                finished = next(
                    (key for key in partitions if key not in self._partition_key_to_index), None
                )
                if finished is not None:
                    partitions.pop(finished)
                else:
                    dropped = partitions.popitem(last=False)[1]
                    logger.warning(
                        "The maximum number of partitions has been reached. Dropping the "
                        f"oldest partition: {dropped}. Over limit: "
                        f"{self._number_of_partitions - self.DEFAULT_MAX_PARTITIONS_NUMBER}."
                    )

    setattr(_ensure_partition_limit, _MARKER, True)
    cursor_class._ensure_partition_limit = _ensure_partition_limit  # noqa: SLF001
