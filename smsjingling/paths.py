"""Where the program keeps its data.

Order: SMSJINGLING_HOME, then portable mode (a file named `portable` beside the executable or main.py puts
the data in a `data` folder there, for USB-stick installs), then the per-user data folder of the OS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "SMSJingling"
PORTABLE_MARKER = "portable"


def program_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    env = os.environ.get("SMSJINGLING_HOME")
    if env:
        path = Path(env)
    elif (program_dir() / PORTABLE_MARKER).exists():
        path = program_dir() / "data"
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Data the program can rebuild at any time (SMSJINGLING_CACHE, else beside the data, else the OS's)."""
    env = os.environ.get("SMSJINGLING_CACHE")
    if env:
        path = Path(env)
    elif os.environ.get("SMSJINGLING_HOME") or (program_dir() / PORTABLE_MARKER).exists():
        path = data_dir() / "cache"
    else:
        path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "smsjingling.sqlite3"


def resources_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", program_dir())) / "resources"
    return program_dir() / "resources"
