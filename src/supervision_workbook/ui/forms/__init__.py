"""Editors for what a person records: a rating instrument, ruptures, a reflection, action items.

Each form shows what its instrument file says (labels, scales, categories) and builds the
matching ``model`` record; scoring and alert rules stay in the core. Nothing is imported
here, so a page pays only for the forms it shows.
"""
