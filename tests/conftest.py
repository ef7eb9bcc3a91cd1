from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Real-world tests run only when asked for (`make test-realworld`)."""
    if config.getoption("-m"):
        return
    skip = pytest.mark.skip(reason="real-world corpus: run `make test-realworld`")
    for item in items:
        if "realworld" in item.keywords:
            item.add_marker(skip)
