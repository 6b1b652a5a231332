from app.services.profiles import parse_tags


def test_tags_are_trimmed_lowercased_and_unique_in_typed_order():
    assert parse_tags(" Освіта, ШІ ,освіта;  Відкриті   дані ,, ") == [
        "освіта",
        "ші",
        "відкриті дані",
    ]


def test_empty_text_gives_no_tags():
    assert parse_tags("") == []
    assert parse_tags(" , ; ") == []
