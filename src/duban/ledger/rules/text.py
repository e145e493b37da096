"""Text hygiene shared by every way text enters or leaves the ledger.

Word's copy-and-paste brings vertical tabs (``\\u000b``, a manual line break) and form feeds; other sources
bring NUL bytes or lone UTF-16 surrogates. PostgreSQL refuses NUL, openpyxl refuses most control characters,
and python-docx writes XML that Word cannot open with them. So input is cleaned once on the way in, and
the exports clean again on the way out, because databases written before this rule may still hold them.
"""

from __future__ import annotations

import re

# Line-breaking controls become a newline; tab, newline and carriage return stay.
_BREAKS = str.maketrans({"\u000b": "\n", "\u000c": "\n", "\u2028": "\n", "\u2029": "\n"})
# Every other C0 control, DEL, C1 controls, lone surrogates and the two XML non-characters go.
_UNWANTED = re.compile("[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the control characters no store or document format accepts."""
    if text.isprintable():
        return text
    return _UNWANTED.sub("", text.translate(_BREAKS))


def has_unwanted(text: str) -> bool:
    """Whether :func:`clean_text` would change more than line breaks."""
    return bool(_UNWANTED.search(text))
