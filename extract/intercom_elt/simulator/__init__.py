"""A local Intercom REST API 2.11 simulator with a seeded workspace generator.

Example:
    >>> from intercom_elt.simulator import SimulatorServer, generate_workspace
    >>> with SimulatorServer(generate_workspace(seed=1)) as sim:  # doctest: +SKIP
    ...     sim.url
    'http://127.0.0.1:54321/'

Replay a captured sync (one ``{"stream": ..., "data": ...}`` per line):

    >>> ws = load_workspace_from_jsonl("capture.jsonl")  # doctest: +SKIP
    >>> dump_workspace_to_jsonl(generate_workspace(seed=1), "small.jsonl")  # doctest: +SKIP
"""

from __future__ import annotations

from .faults import Faults
from .generator import DEFAULT_NOW, SCALES, generate_workspace
from .metrics import OfficeHours
from .replay import dump_workspace_to_jsonl, load_workspace_from_jsonl
from .server import DEMO_TOKEN, SimulatorServer
from .workspace import STREAMS, Workspace

__all__ = [
    # workspace generation
    "DEFAULT_NOW",
    "SCALES",
    "STREAMS",
    "OfficeHours",
    "Workspace",
    "generate_workspace",
    # replay
    "dump_workspace_to_jsonl",
    "load_workspace_from_jsonl",
    # serving
    "DEMO_TOKEN",
    "Faults",
    "SimulatorServer",
]
