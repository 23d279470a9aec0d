"""Pure functions from records to HTML text: no widgets, no workspace, no rules.

Every value is escaped (attributes included) and every highlight is carried by words as
well as by a class, so it survives greyscale and screen readers. Kept free of widgets so
the text a person reads is tested without a kernel.
"""
