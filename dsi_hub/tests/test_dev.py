"""The `make run`/`make test` launcher (dsi_hub.dev)."""

import signal

import pytest

from dsi_hub import dev


def test_a_sigterm_stops_the_launcher_as_ctrl_c_does():
    previous = signal.getsignal(signal.SIGTERM)
    try:
        dev.stop_on_sigterm()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
