"""Allow `python -m intercom_elt`."""

from __future__ import annotations

from intercom_elt.cli import main

main()
