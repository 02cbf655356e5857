"""Message catalog: key -> (Chinese, English), one module per stage. Keys are stable; texts may be reworded."""

from . import checks, cli, county, division, editing, fieldwork, importing, outputs, project, register

__all__ = ["MESSAGES", "PARTS"]

#: The catalog's parts, one per stage; a key belongs to exactly one.
PARTS = (project, importing, cli, checks, county, division, editing, outputs, fieldwork, register)
MESSAGES: dict[str, tuple[str, str]] = {key: text for part in PARTS for key, text in part.MESSAGES.items()}
