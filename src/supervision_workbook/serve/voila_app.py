"""The Voila that ``serve`` runs: Voila 0.5.13 plus the fixes a clinical app needs.

Run as ``python -m supervision_workbook.serve.voila_app`` with Voila's own arguments. What
differs from ``python -m voila``, and why:

- **A closed page ends its kernel.** The page's ``beforeunload`` beacon posts to
  ``/voila/api/shutdown/<id>`` with the ``_xsrf`` value it reads from ``document.cookie``.
  The request carries the login cookie, not the token, so jupyter_server checks XSRF; but
  with preheated kernels the page is rendered before any request exists and nothing ever
  sets the ``_xsrf`` cookie, so every beacon was refused with "'_xsrf' argument missing".
  :class:`_RenderHandler` sets the cookie (tornado's ``xsrf_token``) before the page streams.
- **Idle kernels are culled.** jupyter_server's culler (configured by ``serve`` through
  ``MappingKernelManager.cull_idle_timeout``) ends kernels with no connection; Voila's pool
  manager already spares preheated kernels. At shutdown, preheated kernels (blocked waiting
  for a page) are killed rather than asked to stop: asked, their waiting cell resumes after
  the sockets close and prints ZMQ tracebacks (:class:`QuietShutdownKernelManager`).
- **SIGHUP stops Voila like SIGTERM**, and Voila stops if the ``serve`` process that
  started it disappears, so kernels never outlive the command.
- **The log tells no secrets, and raises no false alarms.** Request lines go through
  jupyter_server's ``log_request``, which scrubs ``token=``; a filter on every handler also
  replaces the token's value wherever it appears. Voila's "running at" line is dropped
  (``serve`` prints the URL), and so is "Notebook ... is not trusted": notebook trust
  concerns showing stored HTML and JavaScript outputs, the served workbooks are committed
  without outputs, and Voila runs them in any case. Kernels talk over IPC (``serve`` sets
  the transport), so ipykernel's "running over TCP without encryption" does not apply. The
  token is removed from the environment once read, so kernels never hold it.
- **Optional gzip.** Voila applies ``tornado_settings`` after tornado has built its
  transforms, so ``compress_response`` there does nothing; here it is passed to the
  application's constructor (``--SupervisionVoila.compress_response=True``).
- **A landing page without plotly.** The JupyterLab extensions are allow-listed on the
  command line; in addition, pages that never show a chart do not load plotly's renderer
  (4.7 MB), through Voila's ``page_config_hook``.
"""

from __future__ import annotations

import logging
import os
import re
import signal
from pathlib import PurePath
from typing import Any

import tornado.web
from jupyter_server.log import log_request
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Bool
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

#: Workbooks whose pages never show a chart: they need no plotly renderer.
PAGES_WITHOUT_CHARTS = frozenset({"index.ipynb"})
PLOTLY_EXTENSION = "jupyterlab-plotly"

#: Log records dropped by message (the format string, before arguments are merged).
_DROPPED_MESSAGES = ("Voilà is running at", "Notebook %s is not trusted")
_TOKEN_IN_URL = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)


class RedactingFilter(logging.Filter):
    """Drops the records above and masks the token in every other one."""

    def __init__(self, secret: str = "") -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_DROPPED_MESSAGES):
            return False
        message = record.getMessage()
        cleaned = _TOKEN_IN_URL.sub(r"\1[secret]", message)
        if self.secret:
            cleaned = cleaned.replace(self.secret, "[secret]")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_filter(secret: str, loggers: list[logging.Logger]) -> RedactingFilter:
    """Put the filter on every handler that can print (root's too, made if missing)."""
    redact = RedactingFilter(secret)
    root = logging.getLogger()
    if not root.handlers:  # tornado's warnings would otherwise reach Python's bare lastResort
        fallback = logging.StreamHandler()
        fallback.setFormatter(logging.Formatter("[Voila] %(levelname)s | %(message)s"))
        root.addHandler(fallback)
    for logger in [root, *loggers]:
        for handler in logger.handlers:
            handler.addFilter(redact)
    return redact


def without_plotly_where_no_chart(
    page_config: dict[str, Any], *, notebook_path: str | None = None, **_: Any
) -> dict[str, Any]:
    """Voila's ``page_config_hook``: drop plotly's renderer from pages without charts."""
    name = PurePath(notebook_path or "").name
    if name in PAGES_WITHOUT_CHARTS:
        page_config["federated_extensions"] = [
            ext
            for ext in page_config.get("federated_extensions", [])
            if ext.get("name") != PLOTLY_EXTENSION
        ]
    return page_config


def _log_failed_request(handler: tornado.web.RequestHandler) -> None:
    """Failed requests only (successes and redirects are routine), with ``token=`` scrubbed."""
    if handler.get_status() >= 400:
        log_request(handler, record_prometheus_metrics=False)


class _RenderHandler(TornadoVoilaHandler):
    """Voila's page handler, setting the ``_xsrf`` cookie the page's shutdown beacon sends."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        _ = self.xsrf_token  # sets the cookie before the first byte is flushed
        await super().get(path)


class QuietShutdownKernelManager(AsyncMappingKernelManager):
    """Kills preheated kernels at shutdown instead of asking them to stop.

    A preheated kernel is in the middle of a cell (waiting for its page's request); a
    shutdown request closes its sockets while that cell resumes, and the cell's reply then
    fails with a ZMQ traceback in the terminal. It holds no state worth a clean stop.
    Voila's pool manager subclasses this class, so ``_pools`` is its.
    """

    async def shutdown_all(self, now: bool = False) -> None:
        pools: dict[str, list[Any]] = getattr(self, "_pools", {})
        waiting = []
        for pool in pools.values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    waiting.append(task.result()["kernel_id"])
        for kernel_id in waiting:
            if kernel_id in self:
                try:
                    await self.shutdown_kernel(kernel_id, now=True)
                except Exception:  # already gone; the others must still stop
                    self.log.debug("preheated kernel %s was already gone", kernel_id)
        await super().shutdown_all(now=now)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # The culler walks a copy of the kernel list; a page that closes meanwhile has
        # already ended its kernel, which would otherwise be logged as a KeyError traceback.
        if kernel_id in self._kernels:
            await super().cull_kernel_if_idle(kernel_id)


class SupervisionVoila(Voila):
    """Voila for ``supervision-workbook serve``; see the module docstring."""

    compress_response = Bool(False, help="gzip responses (tornado's compress_response).").tag(
        config=True
    )

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        self._parent_pid = os.getppid()
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, self._handle_signal_stop)
        configuration = self.voila_configuration
        if configuration.multi_kernel_manager_class is AsyncMappingKernelManager:
            configuration.multi_kernel_manager_class = QuietShutdownKernelManager
        if configuration.page_config_hook is None:
            configuration.page_config_hook = without_plotly_where_no_chart

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        settings["compress_response"] = self.compress_response
        settings["log_function"] = _log_failed_request
        # jupyter_server's default pong timeout (3 pings) is longer than tornado 6.5 accepts,
        # which printed a warning on every page; one ping interval (30 s) also lets a
        # vanished browser's connection drop sooner, so the culler can see the kernel idle.
        settings.setdefault("ws_ping_timeout", 30_000)
        secret = str(getattr(getattr(self, "identity_provider", None), "token", "") or "")
        # The identity provider holds the token now; kernels inherit os.environ.
        os.environ.pop("JUPYTER_TOKEN", None)
        install_log_filter(
            secret,
            [self.log, *(logging.getLogger(n) for n in ("tornado.access", "tornado.general"))],
        )
        return settings

    def init_handlers(self) -> list[Any]:
        return [
            (route[0], _RenderHandler, *route[2:])
            if len(route) > 1 and route[1] is TornadoVoilaHandler
            else route
            for route in super().init_handlers()
        ]

    def listen(self) -> None:
        # Started before Voila's listen() runs the loop; it fires once the loop runs.
        PeriodicCallback(self._stop_if_orphaned, 2000).start()
        super().listen()

    def _stop_if_orphaned(self) -> None:
        """Stop when the process that started us is gone (we were re-parented)."""
        if os.getppid() != self._parent_pid:
            self.log.info("The serve command that started Voila is gone; stopping.")
            self.ioloop.add_callback(self.ioloop.stop)


main = SupervisionVoila.launch_instance

if __name__ == "__main__":
    main()
