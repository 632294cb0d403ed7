"""``Content-Disposition`` values for download file names, any language.

RFC 6266 with RFC 8187 (formerly 5987) ``filename*``: browsers use the UTF-8 name; an
ASCII ``filename`` fallback serves the rest. https://www.rfc-editor.org/rfc/rfc6266
"""

from __future__ import annotations

import unicodedata
from typing import Final, Literal
from urllib.parse import quote

from libpresign.errors import PresignError, PresignTypeError

__all__ = ["content_disposition"]

# attr-char of RFC 8187: what filename* may carry unescaped.
_ATTR_CHAR_SAFE: Final = "!#$&+-.^_`|~"


def _ascii_fallback(filename: str) -> str:
    """The name with accents stripped and anything risky in a quoted string replaced;
    ``download`` stands in for a stem that had no ASCII left (never a hidden ``.pdf``)."""
    decomposed = unicodedata.normalize("NFKD", filename)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(char if 32 <= ord(char) < 127 and char not in '"\\%;' else "_" for char in ascii_only).strip()
    stem, dot, extension = cleaned.rpartition(".")
    if not cleaned or (dot and not stem.strip(" ._")):
        return "download" + (dot + extension if dot else "")
    return cleaned


def content_disposition(filename: str, *, disposition: Literal["attachment", "inline"] = "attachment") -> str:
    """A ``Content-Disposition`` value that names the downloaded file.

    ``content_disposition("Résumé 2024.pdf")`` gives
    ``attachment; filename="Resume 2024.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf``.
    Pass it as ``response_content_disposition=`` (downloads) or ``content_disposition=``
    (uploads).

    :param filename: the file name shown to the user; path separators are not allowed.
    :param disposition: ``"attachment"`` (save) or ``"inline"`` (display in the browser).
    :raises PresignError: an empty name, a name with ``/``, ``\\`` or control characters.
    """
    if not isinstance(filename, str):
        raise PresignTypeError(f"filename must be a str, not {type(filename).__name__}")
    if disposition not in ("attachment", "inline"):
        raise PresignError(f"disposition must be 'attachment' or 'inline', got {disposition!r}")
    if not filename.strip():
        raise PresignError("filename must not be empty")
    if filename != filename.strip():
        raise PresignError("filename must not start or end with whitespace")
    # Cc: control characters; Cf: format characters such as U+202E, which can make
    # "evil\u202etxt.exe" display as "evilexe.txt".
    if "/" in filename or "\\" in filename or any(unicodedata.category(char) in ("Cc", "Cf") for char in filename):
        raise PresignError("filename must not contain '/', '\\', control or invisible formatting characters")
    fallback = _ascii_fallback(filename)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        try:
            encoded = quote(filename, safe=_ATTR_CHAR_SAFE, encoding="utf-8", errors="strict")
        except UnicodeEncodeError:
            raise PresignError("filename must be valid Unicode text (no lone surrogates)") from None
        value += f"; filename*=UTF-8''{encoded}"
    return value
