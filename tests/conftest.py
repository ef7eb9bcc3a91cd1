from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Real-world tests run only when asked for (`make test-realworld`)."""
    if config.getoption("-m"):
        return
    skip = pytest.mark.skip(reason="real-world corpus: run `make test-realworld`")
    for item in items:
        if "realworld" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _user_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default cache lives in the user's cache folder: the tests keep theirs apart."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved
