"""The checker behind the end-to-end journey's rule: a Chinese page shows no English word."""

from tests.e2e.chinese import untranslated


def words(*texts: str) -> list[str]:
    return [word for finding in untranslated(texts) for word in finding.words]


def test_it_finds_an_english_string_left_in_a_chinese_page():
    page = "隐患台账\n导出 Excel\nSubmit for verification\n提交"
    assert words(page) == ["Submit", "for", "verification"]
    assert [str(finding) for finding in untranslated([page])] == [
        "'Submit for verification' in 'Submit for verification'"
    ]


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


def test_a_line_seen_twice_is_reported_once():
    assert len(untranslated(["Overdue\n逾期", "Overdue"])) == 1


def test_the_extension_of_a_files_name_passes_but_not_a_word_after_a_space():
    assert words("已添加佐证材料：评估报告.pdf、现场.JPG") == []
    assert words("上传 pdf") == ["pdf"]
