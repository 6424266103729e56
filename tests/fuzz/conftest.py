"""A summary line of the fuzzing at the end of the run, so CI's log shows what was covered."""

from __future__ import annotations

from collections import Counter

import pytest

# Filled by test_schemathesis: (backend, status class) -> requests; operations seen.
STATUSES: Counter[tuple[str, str]] = Counter()
OPERATIONS: set[tuple[str, str]] = set()


def record(backend: str, operation: str, status: int) -> None:
    OPERATIONS.add((backend, operation))
    STATUSES[(backend, f"{status // 100}xx")] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for backend in sorted({b for b, _ in OPERATIONS}):
        classes = {k: n for (b, k), n in STATUSES.items() if b == backend}
        operations = sum(1 for b, _ in OPERATIONS if b == backend)
        terminalreporter.write_line(
            f"schemathesis ({backend}): {operations} operations, {sum(classes.values())} requests; "
            + ", ".join(f"{k} {classes.get(k, 0)}" for k in ("2xx", "3xx", "4xx", "5xx"))
        )
