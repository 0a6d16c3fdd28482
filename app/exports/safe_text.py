"""What every export does to user text before a file format sees it.

Text is normalised when it comes in (app/services/text.py), but an export must not trust that: data from before
that rule, or from another path, may still hold characters XML cannot carry (control characters, lone surrogates,
U+FFFE/U+FFFF), which make python-docx and openpyxl fail or, worse, hide what follows them from an escape."""

from __future__ import annotations

import re

# Everything XML 1.0 does not allow in a document (tab, newline and carriage return are allowed).
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
