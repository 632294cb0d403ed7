"""content_disposition(): RFC 6266 file names with an RFC 8187 UTF-8 part."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from libpresign import PresignError, content_disposition


def test_ascii_names_need_no_extended_part() -> None:
    assert content_disposition("report.pdf") == 'attachment; filename="report.pdf"'
    assert content_disposition("report.pdf", disposition="inline") == 'inline; filename="report.pdf"'


def test_non_ascii_names_get_a_fallback_and_utf8_part() -> None:
    value = content_disposition("Résumé 2024.pdf")
    assert value == "attachment; filename=\"Resume 2024.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf"
    assert unquote(value.split("''", 1)[1]) == "Résumé 2024.pdf"


@pytest.mark.parametrize("name", ["日本語.txt", 'quote".txt', "100%;x.txt", "emoji 😀.png"])
def test_fallback_is_safe_ascii_and_extended_part_round_trips(name: str) -> None:
    value = content_disposition(name)
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and '"' not in fallback and "%" not in fallback and ";" not in fallback
    assert value.isascii()
    assert unquote(value.split("filename*=UTF-8''", 1)[1]) == name


@pytest.mark.parametrize("name", ["", "  ", "a/b.txt", "a\\b", "a\nb"])
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(PresignError):
        content_disposition(name)


def test_disposition_is_checked() -> None:
    with pytest.raises(PresignError, match="attachment' or 'inline"):
        content_disposition("a", disposition="download")  # type: ignore[arg-type]


def test_a_name_with_no_ascii_stem_falls_back_to_download() -> None:
    value = content_disposition("日本語.pdf")
    assert value.startswith('attachment; filename="download.pdf"; filename*=UTF-8\'\'')
    assert content_disposition("写真").startswith('attachment; filename="download";')


@pytest.mark.parametrize("name", ["evil\u202etxt.exe", "a\u200bb.txt", " padded.txt", "padded.txt "])
def test_invisible_formatting_and_padding_are_refused(name: str) -> None:
    with pytest.raises(PresignError):
        content_disposition(name)
