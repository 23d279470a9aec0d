"""Binder: pages that never show a chart (the landing page) do not load plotly's renderer.

A callable cannot be set from JSON, hence this file beside jupyter_server_config.json; the
hook is the one ``supervision-workbook serve`` uses (supervision_workbook.serve.voila_app).
"""

from supervision_workbook.serve.voila_app import without_plotly_where_no_chart

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.VoilaConfiguration.page_config_hook = without_plotly_where_no_chart
