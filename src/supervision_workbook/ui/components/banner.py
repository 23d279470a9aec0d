"""The Binder banner: one warning, the same on every workbook, and it stays on the page.

Why a banner: a Binder session is a throw-away container. People must know before they
type anything that the data has to be synthetic and that their work disappears when the
session ends, unless they download it. So every workbook (the landing page, the session
workbook, the case review and the caseload) puts this banner first, and ``workbook.css``
keeps it in view while the page scrolls.

Whether a page runs on Binder is decided in one place, :func:`exchange.binder_mode` (the
environment BinderHub sets, or ``binder_mode`` in the workspace configuration); this module
only asks it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

if TYPE_CHECKING:
    from supervision_workbook.config import WorkspaceConfig

BINDER_MESSAGE = (
    "This is a temporary Binder session. Use synthetic data only, never real client "
    "information. Nothing persists: the session ends after about ten idle minutes and "
    "everything in it is deleted. Download your work before you leave."
)


def binder_active(config: WorkspaceConfig | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to show the banner: :func:`supervision_workbook.exchange.binder_mode`."""
    from supervision_workbook.exchange import binder_mode

    return binder_mode(config, environ)


def binder_banner() -> widgets.HTML:
    """The banner as a widget (class ``swb-binder-banner``; styled by ``workbook.css``)."""
    return widgets.HTML(
        '<div class="swb-banner" role="note" aria-label="Binder session">'
        f"<strong>Binder session.</strong> {html.escape(BINDER_MESSAGE)}</div>",
        layout=widgets.Layout(width="100%"),
    ).add_class("swb-binder-banner")


def banner_parts(
    config: WorkspaceConfig | None, environ: Mapping[str, str] | None = None
) -> list[widgets.Widget]:
    """``[banner]`` in Binder mode, else ``[]``: what a page puts at its top."""
    return [binder_banner()] if binder_active(config, environ) else []
