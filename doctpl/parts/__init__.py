"""The NĐ 30 elements every document kind shares, each defined once.

A part module holds the three faces of one element: its form fields (what the clerk types), its
context (what doctpl computes from them) and its layout in the Word template (used only by the
builder). Document kinds compose them; none re-implements them.
"""
