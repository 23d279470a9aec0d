"""The one error of the signing package."""

from __future__ import annotations


class SigningError(ValueError):
    """A key or trust file that cannot be used, or a key that cannot be made; the message
    names the file and the fix (the CLI prints it as a user error)."""
