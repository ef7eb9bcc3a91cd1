"""BLAKE2b, the digest of every cache key and fingerprint, taken from CPython's own module:
``hashlib`` loads OpenSSL first, which costs a run answered from the cache more than all
the hashing it does."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

__all__ = ["blake2b"]
