"""Builds the Word templates in templates_docx/ from the shared parts (run tools/build_templates.py).

Nothing here runs when a document is rendered; it writes the .docx files an admin can then open
and adjust in Word. Each NĐ 30 element is written by the one part module that also computes its
values (doctpl/parts), so every document kind shares the same header, date line, signature block
and Nơi nhận list.
"""
