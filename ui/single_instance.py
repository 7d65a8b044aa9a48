"""One running copy per user and data folder: a second start hands its request to the first and exits.

A named local socket (a named pipe on Windows, a Unix socket elsewhere), named after the data folder, so two
portable copies on one PC, or two users, do not see each other.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from smsjingling import audit, paths

CONNECT_MS = 500


def server_name() -> str:
    digest = hashlib.sha1(f"{audit.current_actor()}|{paths.data_dir()}".encode()).hexdigest()[:16]
    return f"smsjingling-{digest}"


def signal_running(message: bytes = b"show") -> bool:
    """If a copy is already running, ask it to come forward; True when one answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(message)
    socket.waitForBytesWritten(CONNECT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later copies; `activated` fires when one asks this copy to come forward."""

    activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._incoming)

    def listen(self) -> bool:
        name = server_name()
        if self.server.listen(name):
            return True
        # A copy that crashed leaves its Unix socket file behind; nobody answers on it (signal_running said
        # so), so it is safe to remove.
        QLocalServer.removeServer(name)
        return self.server.listen(name)

    def _incoming(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: s.readAll())
            socket.disconnected.connect(socket.deleteLater)
            self.activated.emit()

    def close(self) -> None:
        self.server.close()
