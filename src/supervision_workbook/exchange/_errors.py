"""Errors of the exchange. Both say what the person can do about them."""

from __future__ import annotations


class ExchangeError(Exception):
    """The exchange cannot do what was asked (missing folder, bad roster, bad artifact)."""


class ExchangePermissionError(ExchangeError):
    """The roster or the folder's permissions do not allow this person to do this."""
