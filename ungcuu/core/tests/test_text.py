import pytest

from ungcuu.core.text import fold, fold_many


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cổng thông tin điện tử", "cong thong tin dien tu"),
        ("ĐIỆN BIÊN", "dien bien"),
        ("Sở Tài nguyên và Môi trường", "so tai nguyen va moi truong"),
        ("Ủy ban nhân dân huyện Đông Hải", "uy ban nhan dan huyen dong hai"),
        ("ơ ư ă â ê ô", "o u a a e o"),
        ("  nhiều   khoảng\ttrắng \n ", "nhieu khoang trang"),
        ("café résumé", "cafe resume"),
    ],
)
def test_fold_strips_diacritics_and_case(text, folded):
    assert fold(text) == folded


def test_fold_maps_d_with_stroke_which_nfd_does_not_decompose():
    assert fold("đ") == "d"
    assert fold("Đ") == "d"


def test_fold_accepts_decomposed_input():
    assert fold("Co\u0302\u0309ng") == "cong"


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""
    assert fold("") == ""
    assert fold("   ") == ""


def test_fold_is_idempotent():
    once = fold("Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam")
    assert fold(once) == once


def test_fold_many_joins_non_empty_parts():
    assert fold_many("SO-KHCN", None, "", "Sở Khoa học") == "so-khcn so khoa hoc"
