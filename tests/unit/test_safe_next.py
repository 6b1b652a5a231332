import pytest

from app.security import is_safe_next


@pytest.mark.parametrize("target", ["/", "/members/", "/members/?q=Олена&page=2", "/me"])
def test_paths_on_this_site_are_safe(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "members/",
        "/%5Cevil\\x",
    ],
)
def test_other_sites_and_tricks_are_not(target):
    assert not is_safe_next(target)
