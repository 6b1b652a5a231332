from app.services.collation import name_key


def test_names_sort_in_ukrainian_alphabetical_order():
    names = ["Ярина", "Ірина", "Євген", "Ґанна", "Їжак", "Йосип", "Ігор", "Андрій", "Григорій"]
    expected = ["Андрій", "Григорій", "Ґанна", "Євген", "Ігор", "Ірина", "Їжак", "Йосип", "Ярина"]
    assert sorted(names, key=name_key) == expected


def test_the_key_ignores_case_spacing_and_apostrophes():
    assert (
        name_key("  Мар'яна   КОВАЛЬ ") == name_key("марʼяна коваль") == name_key("Маряна Коваль")
    )


def test_a_substring_of_a_name_is_a_substring_of_its_key():
    assert name_key("ОЛІЙ") in name_key("Ірина Олійник")
