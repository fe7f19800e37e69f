"""Minimum password strength for a vault, judged with zxcvbn (as KeePassXC does) plus a length floor."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable
_SCORE_LABELS = ("极弱", "弱", "一般", "较强", "强")


@dataclass(frozen=True)
class Strength:
    score: int
    acceptable: bool
    zh: str
    en: str

    @property
    def label(self) -> str:
        return _SCORE_LABELS[self.score]


def assess(password: str, user_inputs: list[str] | None = None) -> Strength:
    """Judge `password`; `user_inputs` (name, unit) count as guessable words."""
    if len(password) < MIN_LENGTH:
        return Strength(0, False, f"密码至少需要 {MIN_LENGTH} 个字符", f"at least {MIN_LENGTH} characters")
    # Imported here: its frequency lists cost ~40 ms, which the unlock window should not pay at start-up.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with length; the first 64 characters are plenty to judge.
    result = zxcvbn(password[:64], user_inputs=[u for u in (user_inputs or []) if u])
    score = int(result["score"])
    if score < MIN_SCORE:
        return Strength(
            score, False, "密码太容易被猜中：请加长，或混用多个不相关的词、数字和符号",
            "too easy to guess: make it longer or mix unrelated words, digits and symbols",
        )
    return Strength(score, True, f"密码强度：{_SCORE_LABELS[score]}", "strong enough")
