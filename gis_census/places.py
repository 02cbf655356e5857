"""Place names as titles print them: county, township, village, without gaps or repeats."""

from __future__ import annotations

__all__ = ["place_name"]


def place_name(names, sep: str = "") -> str:
    """`names` from the largest unit to the smallest joined with `sep`, leaving out a missing name and
    one that the rest already begins with: ("滕州市", "", "白坡镇小尹村") -> "滕州市白坡镇小尹村",
    ("", "白坡镇", "白坡镇小尹村") -> "白坡镇小尹村"."""
    text = ""
    for name in reversed([str(n).strip() for n in names if n is not None]):
        if not name or name == "-":
            continue
        if not text:
            text = name
        elif not text.startswith(name):
            text = f"{name}{sep}{text}"
    return text
