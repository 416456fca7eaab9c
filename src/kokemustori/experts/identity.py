"""The Finnish personal identity code (henkilötunnus) an expert may enter for the payer.

Stored only encrypted (Fernet: AES with an HMAC), with the key from the environment variable
PERSONAL_ID_KEY (README, configuration). Without the key the code cannot be entered or read.
Shown to no one but the expert and, in the payer's export, the coordinators of the paying
organisation; every export that carries codes is audited.
"""

import os
import re

from cryptography.fernet import Fernet, InvalidToken

KEY_VARIABLE = "PERSONAL_ID_KEY"
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = "+-YXWVUABCDEF"
PATTERN = re.compile(r"(\d{6})([+\-YXWVUABCDEF])(\d{3})([0-9A-Y])")


def _fernet() -> Fernet | None:
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        return None
    try:
        return Fernet(key.encode())
    except ValueError:
        return None


def available() -> bool:
    return _fernet() is not None


def normalise(code: str) -> str:
    return "".join((code or "").split()).upper()


def is_valid(code: str) -> bool:
    """The form DDMMYYCZZZQ with the right check character (day and month in range)."""
    match = PATTERN.fullmatch(normalise(code))
    if not match:
        return False
    digits, _century, serial, check = match.groups()
    day, month = int(digits[:2]), int(digits[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return CHECK_CHARACTERS[int(digits + serial) % 31] == check


def encrypt(code: str) -> str:
    fernet = _fernet()
    if fernet is None:
        raise RuntimeError(f"{KEY_VARIABLE} is not set")
    return fernet.encrypt(normalise(code).encode()).decode()


def decrypt(token: str) -> str:
    """The code, or "" when there is none or it cannot be read with the present key."""
    fernet = _fernet()
    if not token or fernet is None:
        return ""
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def masked(code: str) -> str:
    """e.g. 010190-***X: enough for the expert to recognise it."""
    return f"{code[:7]}***{code[-1]}" if code else ""
