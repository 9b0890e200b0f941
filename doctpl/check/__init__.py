"""Kiểm tra thể thức: read a .docx back (reader) and check it against NĐ 30 (nd30) or the Party guidance (dang).

report.check is the one entry point; the rules are the rows of rules.csv and rules_dang.csv (findings).
"""
