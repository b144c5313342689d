"""The checker behind the end-to-end journey's rule: a Chinese page shows no English word."""

from tests.e2e.chinese import untranslated


def words(*texts: str) -> list[str]:
    return [finding.word for finding in untranslated(texts)]


def test_it_finds_an_english_string_left_in_a_chinese_page():
    page = "隐患台账\n导出 Excel\nSubmit for verification\n提交"
    assert words(page) == ["Submit", "for", "verification"]
    assert str(untranslated([page])[0]) == "'Submit' in 'Submit for verification'"


def test_it_finds_a_single_english_word_among_chinese():
    assert words("状态：Overdue（重大）") == ["Overdue"]


def test_it_passes_numbers_codes_and_allowed_tokens():
    page = (
        "隐患编号 YH-210102-2026-0007\n统一社会信用代码 91210102MA0X4C7L2B\n"
        "下载 PDF · 导出 Excel、CSV · API 文档\n语言：简体中文 English\n2026-05-01 12:30 · 90%"
    )
    assert words(page) == []


def test_a_code_does_not_hide_an_english_word_beside_it():
    assert words("YH-210102-2026-0007 closed") == ["closed"]


def test_an_allowed_token_is_allowed_only_as_written():
    assert words("导出 excel") == ["excel"]
