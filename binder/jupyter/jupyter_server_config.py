"""Binder settings that JSON cannot express (beside jupyter_server_config.json).

- Pages that never show a chart (the landing page) do not load plotly's renderer: the hook
  ``supervision-workbook serve`` uses (supervision_workbook.serve.voila_app).
- Kernels talk over Unix sockets in the private runtime folder instead of TCP ports, where
  the socket names fit: a name holds at most 107 bytes, and it is the runtime folder plus
  ``/kernel-<uuid>-ipc-<n>`` (on Binder ``/home/jovyan/...``: it fits).
"""

import os

from jupyter_core.paths import jupyter_runtime_dir

from supervision_workbook.serve.voila_app import without_plotly_where_no_chart

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.VoilaConfiguration.page_config_hook = without_plotly_where_no_chart
if os.name == "posix" and len(jupyter_runtime_dir()) + len("/kernel-") + 36 + 8 <= 100:
    c.KernelManager.transport = "ipc"
