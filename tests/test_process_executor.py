"""The connector process: its crashes explain themselves, and say no secrets."""

from __future__ import annotations

import logging
import sys

import pytest
from airbyte import exceptions as airbyte_exceptions

from intercom_elt.errors import ExtractionError
from intercom_elt.extractor import translate_connector_error
from intercom_elt.process_executor import _stream_process

CRASH = (
    "import sys; print('{\"type\": \"LOG\"}'); "
    "sys.stderr.write('Traceback (most recent call last):\\n  ...\\n"
    "ValueError: no manifest for tok-5ecret\\n'); sys.exit(3)"
)


def test_a_crash_keeps_the_connectors_last_lines() -> None:
    lines = []
    with pytest.raises(airbyte_exceptions.AirbyteSubprocessFailedError) as failure:
        lines.extend(_stream_process([sys.executable, "-c", CRASH], logging.getLogger("test")))
    assert lines == ['{"type": "LOG"}\n']
    assert failure.value.exit_code == 3
    assert failure.value.log_text[-1] == "ValueError: no manifest for tok-5ecret"


def test_a_crash_is_one_line_with_its_reason_and_no_token() -> None:
    crash = airbyte_exceptions.AirbyteConnectorFailedError(
        connector_name="source-intercom",
        log_text=["Traceback (most recent call last):", "ValueError: no manifest for tok-5ecret"],
        context={"exit_code": 3},
    )
    error = translate_connector_error(crash, secrets=["tok-5ecret"])
    assert isinstance(error, ExtractionError)
    assert "ValueError: no manifest for ****" in str(error)
    assert "tok-5ecret" not in str(error)
