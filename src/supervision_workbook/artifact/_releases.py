"""Files written by an earlier release: which ones, and why their cells are not compared.

The cells of an artifact are a function of its record *and* of the code that built them:
the alert rules and the shipped instrument definitions of that release. When a release
changes either (0.2 rewrote the alert rules and the wording of our own check-ins), a file
written before it cannot be rebuilt cell for cell, yet it is a sound record that a program
must keep: failing it as tampered would turn every signed review of the last years into a
false alarm.

Why not simply trust the ``generator`` a file names: anyone can write any generator into the
settings block to escape the cell comparison. So a file counts as "written by an earlier
release" only when everything it claims about its making matches what that release really
shipped: the generator string is one of :data:`EARLIER_RELEASES`, and every shipped
instrument it names that no longer matches today's definition carries the exact sha256 that
release shipped for it. Anything else (an unknown generator, a fingerprint no release ever
had, a claim to be today's release) is compared cell by cell, and fails when a cell differs.

What still holds for such a file: its record validates, its content hash and amendment chain
are checked, signatures are checked, and active content is refused (``_guard``), so the
cells cannot run anything. ``validate`` says plainly that its cells were not compared.
"""

from __future__ import annotations

from collections.abc import Mapping

#: generator -> {shipped instrument id: sha256 of its definition in that release}.
#: Computed from the release's own code (``_settings.definition_hash`` over the shipped
#: definitions at the tagged commit); never edited by hand afterwards.
EARLIER_RELEASES: Mapping[str, Mapping[str, str]] = {
    "supervision-workbook 0.1.0": {
        "alliance-checkin-client": (
            "2dcf6491ed8bfa18d776c47ca8d503ce64c2647fd1b6b35a82518e393f682f4b"
        ),
        "alliance-checkin-therapist": (
            "df52deecc54cfdfb9e47a3a638cafa1bf140bed0613d8cd0b1076cf850d98757"
        ),
        "countertransference": "d33e67a2c630bd4d8fff22b69ee1dec7ee5a2eee2919bfd738138710d6621473",
        "ors": "eda3e4794c99352edfa7f5200f7b014a580357454dc912179650d63877cd3acd",
        "rupture-log": "56200503cafa57d6f8216dbd4716d02ee4b3e8afaa0b3ea94ac29346284e86b1",
        "srs": "608b338cdde86bd918236d85f5ce58287dfe3873406be11bcb5b8c875f61441f",
        "supervision-checkin": "fdec0aac9a5c20a520678dd88429fdd3ee7cec0c367b9901c774e430be4087ec",
        "wai-sr-client": "f9b0877a12b6b16f9f3bd98f8770312db021ef0d81cbc33d0aa9ceffbb8ef2ed",
        "wai-sr-therapist": "93e31af89a9614d1a344fdbb60756d9b19099d4fa6626110d0c39300b27e85b8",
    },
}


def earlier_release(settings: object) -> str | None:
    """The earlier release that wrote a file with this raw settings block, or None.

    None also for a block that names an earlier release but an instrument fingerprint that
    release never shipped: such a file is compared cell by cell like any other.
    """
    if not isinstance(settings, dict):
        return None
    generator = settings.get("generator")
    if not isinstance(generator, str):
        return None
    shipped_then = EARLIER_RELEASES.get(generator)
    if shipped_then is None:
        return None
    named = settings.get("instruments")
    if not isinstance(named, dict):
        return None
    for inst_id, entry in named.items():
        if not isinstance(entry, dict):
            return None
        if "definition" in entry:
            continue  # a workspace instrument travels with the file and is rebuilt from it
        if shipped_then.get(inst_id) != entry.get("sha256"):
            return None
    return generator
