"""短信精灵 application core: storage, contacts, sending, accounts. No Qt imports here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("smsjingling")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+src"
