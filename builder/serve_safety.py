"""Small pieces of the preview server: which hosts are local, safe file paths, types, and
the private folder that holds the preview builds."""
from __future__ import annotations

import ipaddress
import mimetypes
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote

from builder.errors import ConfigError

LOOPBACK_NAMES = {"localhost"}
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".vtt": "text/vtt",
         ".json": "application/json", ".html": "text/html", ".svg": "image/svg+xml",
         ".xml": "application/xml", ".webm": "video/webm", ".mp4": "video/mp4", ".mp3": "audio/mpeg"}


def is_loopback(host: str) -> bool:
    """True when *host* names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def safe_join(base: Path, url_path: str) -> Path | None:
    """Map a URL path below *base* to a file, or None when it would leave *base*.

    Refuses ``..`` and ``.`` segments (also percent-encoded), backslashes, absolute and
    drive paths, NUL bytes, and symbolic links that point outside *base*.
    """
    decoded = unquote(url_path)
    if "\\" in decoded or "\x00" in decoded or re.match(r"^[A-Za-z]:", decoded):
        return None
    parts = decoded.split("/")
    if any(p in ("..", ".") for p in parts) or decoded.startswith("/"):
        return None
    parts = [p for p in parts if p]
    root = base.resolve()
    target = root.joinpath(*parts).resolve() if parts else root
    if not target.is_relative_to(root):
        return None
    return target


def loopback_host(header: str) -> bool:
    """True when a Host header names a loopback address (with or without a port)."""
    host = header.strip()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return is_loopback(host)


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def inject(page: bytes, tag: str) -> bytes:
    """Insert *tag* before the last ``</body>`` of an HTML page (or at its end)."""
    index = page.lower().rfind(b"</body>")
    data = tag.encode("utf-8")
    return page + data if index < 0 else page[:index] + data + page[index:]


def private_dir(path: Path) -> Path:
    """Create *path* readable by its owner only, or check that an existing one is ours.

    The preview's work area lives in the shared temporary folder, where another user could
    create the folder first (or a symbolic link by that name) to read or plant files.

    Raises:
        ConfigError: *path* is a symbolic link, not a folder, or belongs to another user.
    """
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(f"cannot create the preview folder {path}: {exc.strerror or exc}") from None
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise ConfigError(f"refusing to use {path}: it is a symbolic link, not a folder; remove it")
    if not stat.S_ISDIR(info.st_mode):
        raise ConfigError(f"refusing to use {path}: it is not a folder; remove it")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ConfigError(f"refusing to use {path}: it belongs to another user; remove it or "
                          "set TMPDIR to a folder of your own")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)  # ours, but others could read it (an old version made it so)
    return path
