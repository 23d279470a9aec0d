"""User text on the page: shown exactly as typed, never interpreted as markup.

The rule (docs/ARCHITECTURE.md, "Escaping"): ``ipywidgets.HTML`` inserts raw HTML, so user
text reaches the page in one of two ways only:

* through widgets that render plain text (``Label``, ``Text``, ``Textarea``, descriptions
  with ``description_allow_html=False``, which is the default), or
* through :func:`escape` when this module builds HTML (:class:`Notice`, :class:`TextBlock`,
  :func:`text_html`).

So "I hate <you>" is shown as ``I hate <you>``, and ``<img src=x onerror=...>`` is shown as
those characters and never runs.

:class:`IdentifierWarnings` watches free-text fields and shows, under each one, the likely
identifiers that :func:`supervision_workbook.privacy.flag_identifiers` finds for the
workspace's regions (``[privacy] regions``: phone, postcode and national id formats), as
the person types. Each warning is the flag's own ``describe()``: the kind, a masked snippet
of the place ("Possible email address: “Wrote to mar••@•••…”") and the reason, so the
person finds the spot without counting characters and the identifier is never repeated in
full. It never says that text is free of identifiers, because no heuristic can know that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import ipywidgets as widgets

from supervision_workbook.ui.components.timers import Debouncer, Scheduler, call_later
from supervision_workbook.ui.render.html import escape, text_html

NoticeKind = Literal["info", "success", "warning", "error"]


class TextBlock(widgets.HTML):
    """Read-only multi-line text (a reflection, a rupture description) shown as typed.

    Use :attr:`text` to set it; the HTML value is always built by escaping. An ``HTML``
    widget is used rather than a ``Label`` because labels do not wrap long text.
    """

    def __init__(self, text: str = "", *, cls: str = "swb-text", empty: str = "") -> None:
        super().__init__()
        self._cls = cls
        self._empty = empty
        self.add_class("swb-text-block")
        self.text = text

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = str(value)
        if self._text:
            self.value = text_html(self._text, tag="div", cls=self._cls)
        elif self._empty:
            self.value = text_html(self._empty, tag="div", cls=f"{self._cls} swb-muted")
        else:
            self.value = ""


class Notice(widgets.HTML):
    """An inline message (validation errors, save results) in a live region.

    Errors use ``role="alert"`` so screen readers announce them at once; other kinds use
    ``role="status"``. Messages are plain text; several become a list.
    """

    def __init__(self, *, testid: str = "") -> None:
        super().__init__()
        self.add_class("swb-notice-host")
        if testid:
            self.add_class(testid)
        self.kind: NoticeKind | None = None
        self.messages: tuple[str, ...] = ()

    def show(self, kind: NoticeKind, messages: str | Sequence[str]) -> None:
        items = (messages,) if isinstance(messages, str) else tuple(messages)
        items = tuple(m for m in items if m)
        if not items:
            self.clear()
            return
        self.kind, self.messages = kind, items
        role = "alert" if kind == "error" else "status"
        if len(items) == 1:
            body = escape(items[0])
        else:
            body = "<ul>" + "".join(f"<li>{escape(m)}</li>" for m in items) + "</ul>"
        self.value = f'<div class="swb-notice swb-notice-{kind}" role="{role}">{body}</div>'

    def clear(self) -> None:
        self.kind, self.messages = None, ()
        self.value = ""


def stacked(widget: widgets.Widget) -> widgets.Widget:
    """Put a widget's description above it, wrapping, instead of a truncated left label.

    Long labels (reflection prompts, item wording) must be readable in full; the label stays
    the input's real ``<label for=...>``, so screen readers still announce it.
    """
    widget.style.description_width = "initial"
    widget.add_class("swb-stacked")
    return widget


def text_area(
    description: str,
    value: str = "",
    *,
    placeholder: str = "",
    rows: int = 4,
    testid: str = "",
) -> widgets.Textarea:
    """A labelled, full-width textarea that sends every keystroke (for warnings and autosave)."""
    area = widgets.Textarea(
        value=value,
        description=description,
        placeholder=placeholder,
        rows=rows,
        continuous_update=True,
        layout=widgets.Layout(width="100%"),
    )
    stacked(area)
    area.add_class("swb-textarea")
    if testid:
        area.add_class(testid)
    return area


CHECK_DELAY = 0.3
"""Seconds of quiet typing before a field is checked (a check of a long text takes tens
of milliseconds; checking at every keystroke would make the kernel fall behind)."""


class IdentifierWarnings:
    """Flags likely identifiers under each watched text field while the person types.

    ``declared_names`` is called on every check, so names declared for the case later (or
    a change of case) take effect at once. ``region``: the workspace's
    ``config.privacy.regions``, so a British number is flagged in a British workspace.
    :meth:`watch` returns the warning widget to place under the field; :meth:`unwatch`
    forgets a field (a removed rupture). Each field is checked a moment after typing pauses
    (``delay``); :meth:`summary` first finishes any check still waiting, so a submit never
    sees stale flags.
    """

    def __init__(
        self,
        declared_names: Callable[[], Sequence[str]] = tuple,
        *,
        region: str | Sequence[str] = "US",
        delay: float = CHECK_DELAY,
        scheduler: Scheduler = call_later,
    ) -> None:
        self._declared_names = declared_names
        self._region = region
        self._delay = delay
        self._scheduler = scheduler
        self._fields: dict[int, tuple[widgets.Widget, str, Notice, Callable[..., None]]] = {}
        self._pending: dict[int, Debouncer] = {}
        self._flags: dict[int, list[str]] = {}

    def watch(self, field: widgets.Widget, name: str) -> Notice:
        """Check ``field`` (a ``Text`` or ``Textarea``) now and whenever typing pauses."""
        notice = Notice(testid="swb-identifier-warning")
        key = id(field)
        debouncer = Debouncer(self._delay, lambda: self._check(key), scheduler=self._scheduler)

        def on_change(change: dict[str, object]) -> None:
            debouncer.trigger()

        self._fields[key] = (field, name, notice, on_change)
        self._pending[key] = debouncer
        field.observe(on_change, names="value")
        self._check(key)
        return notice

    def unwatch(self, field: widgets.Widget) -> None:
        entry = self._fields.pop(id(field), None)
        self._flags.pop(id(field), None)
        debouncer = self._pending.pop(id(field), None)
        if debouncer is not None:
            debouncer.cancel()
        if entry is not None:
            entry[0].unobserve(entry[3], names="value")
            entry[2].clear()

    def flush(self) -> None:
        """Run every check that is still waiting for a pause."""
        for debouncer in list(self._pending.values()):
            debouncer.flush()

    def recheck(self) -> None:
        """Check every field again (after the declared names changed)."""
        for key in list(self._fields):
            self._pending[key].cancel()
            self._check(key)

    def _check(self, key: int) -> None:
        from supervision_workbook.privacy import flag_identifiers

        field, _name, notice, _ = self._fields[key]
        text = field.value if isinstance(field.value, str) else ""
        try:
            names = list(self._declared_names())
        except Exception as exc:
            names = []
            problem = f"The names declared for this case could not be read ({exc})."
        else:
            problem = ""
        flags = flag_identifiers(text, names, region=self._region)
        messages = [f.describe() for f in flags]
        self._flags[key] = messages
        shown = [*messages, problem] if problem else messages
        if shown:
            notice.show("warning", shown)
        else:
            notice.clear()

    def summary(self) -> list[str]:
        """Every open flag as ``"<field name>: Possible email address: “…” (reason)."``."""
        self.flush()
        out = []
        for key, (_field, name, _notice, _) in self._fields.items():
            out.extend(f"{name}: {message}" for message in self._flags.get(key, ()))
        return out

    def fields(self) -> Iterable[str]:
        return [name for _f, name, _n, _o in self._fields.values()]
