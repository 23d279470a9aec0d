"""Placeholder replaced by the real CLI in this same change."""


def main() -> int:
    return 0
