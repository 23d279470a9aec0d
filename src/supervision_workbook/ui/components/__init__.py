"""Building blocks that every workbook page shares: widgets and helpers, no domain rules.

Steps, timers, saving (autosave and the save bar), files in and out of the page, the chart
panel, answer scales, the page's style sheet and address-bar state, the Binder banner, user
text and identifier warnings, the case picker and the last "review and submit" step. A block
asks the core (``model``, ``scoring``, ``store``...) for anything clinical; it decides nothing.
Nothing is imported here, so a page pays only for the blocks it uses.
"""
