"""Password strength floor: length and zxcvbn."""

from __future__ import annotations

import pytest
from vault_fixtures import NEW_PASSWORD, PASSWORD

from app.vault.passwords import MIN_LENGTH, MIN_SCORE, assess


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "Wangjianguo-2026"])
def test_strong_passwords_pass(password: str) -> None:
    strength = assess(password)
    assert strength.acceptable
    assert strength.score >= MIN_SCORE
    assert strength.label in ("较强", "强")


def test_short_password_is_refused_for_its_length() -> None:
    strength = assess("Xq9!短密码")
    assert len("Xq9!短密码") < MIN_LENGTH
    assert not strength.acceptable
    assert str(MIN_LENGTH) in strength.zh and strength.en


@pytest.mark.parametrize("password", ["password123", "1234567890", "qwertyuiop", "aaaaaaaaaaaa"])
def test_guessable_passwords_are_refused(password: str) -> None:
    strength = assess(password)
    assert not strength.acceptable
    assert strength.score < MIN_SCORE
    assert "容易被猜中" in strength.zh


def test_the_owners_own_words_count_as_guessable() -> None:
    assert assess("wangjianguo1987").acceptable
    assert not assess("wangjianguo1987", ["wangjianguo"]).acceptable


def test_only_the_first_64_characters_are_judged() -> None:
    # zxcvbn's cost grows with length; a very long password must still be judged (and quickly).
    assert assess(NEW_PASSWORD * 50).acceptable
