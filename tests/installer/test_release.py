"""The release build's helpers (installer/release.py): one version, the .ico, the Qt modules kept, what is
bundled; and the NSIS script compiles where makensis is installed."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tomllib

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImageReader

import smsjingling
from installer import release


def test_the_version_is_pyprojects_and_the_programs() -> None:
    declared = tomllib.loads(release.PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert release.version() == declared
    # What the About box and `--version` show: the installed metadata, built from the same pyproject.
    assert smsjingling.__version__ == declared


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("2.0", (2, 0, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("1.2.3.4.5", (1, 2, 3, 4))],
)
def test_version_resource_numbers(text: str, numbers: tuple[int, int, int, int]) -> None:
    assert release.version_tuple(text) == numbers


def test_windows_version_file_carries_the_version() -> None:
    """The text is what PyInstaller evaluates with its version-resource classes; evaluated here with stand-ins
    that record their arguments (PyInstaller's own classes load only on Windows)."""

    def record(kind: str):
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]
    info = eval(release.windows_version_file_text("1.4.2"), {name: record(name) for name in names})
    fixed = info[2]["ffi"][2]
    assert fixed["filevers"] == fixed["prodvers"] == (1, 4, 2, 0)
    table = info[2]["kids"][0][1][0][0][1]
    strings = dict(s[1] for s in table[1])
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.4.2"
    assert strings["ProductName"] == "短信精灵"
    assert strings["OriginalFilename"] == "smsjingling.exe"


def test_ico_container_layout() -> None:
    """A 2x2 bitmap entry is stored bottom row first with an AND mask; a PNG entry is stored as given."""
    top, bottom = b"\x01\x02\x03\xff" * 2, b"\x04\x05\x06\xff" * 2
    png = b"\x89PNG fake"
    data = release.ico_bytes([(2, top + bottom, False), (256, png, True)])
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind, count) == (0, 1, 2)
    w, h, _colours, _r, planes, bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6)
    assert (w, h, planes, bits) == (2, 2, 1, 32)
    bitmap = data[offset : offset + size]
    header_size, width, height = struct.unpack_from("<Iii", bitmap, 0)
    assert (header_size, width, height) == (40, 2, 4)  # twice the height: colour rows, then the mask
    assert bitmap[40:56] == bottom + top
    assert bitmap[56:] == bytes(8)  # two mask rows of 4 bytes
    w, h, _colours, _r, _planes, _bits, size, offset = struct.unpack_from("<BBBBHHII", data, 22)
    assert (w, h) == (0, 0)  # 256 is written as 0
    assert data[offset : offset + size] == png


def test_app_icon_renders_every_size(qapp) -> None:
    data = release.render_icon()
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"ico")
    assert reader.imageCount() == len(release.ICON_SIZES)
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.append(image.width())
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner is transparent
        # app.svg: a blue tile behind a white speech bubble; at 16 px the bubble's middle is blended with its
        # lines, so look at the bubble's left part.
        middle = image.pixelColor(image.width() * 18 // 64, image.height() * 24 // 64)
        assert middle.lightness() > QColor("#2f6db5").lightness()
    assert sizes == list(release.ICON_SIZES)


def test_every_qt_module_the_program_imports_is_bundled() -> None:
    """The spec keeps only QT_MODULES; a new Qt import in ui/ must be added there (the spec refuses to build
    without it, and this says so in the ordinary test run)."""
    imported = release.ui_qt_imports()
    assert {"QtCore", "QtGui", "QtWidgets"} <= imported
    assert imported <= set(release.QT_MODULES)


def test_runtime_dependencies_exclude_the_tools() -> None:
    needed = release.runtime_distributions()
    assert {"smsjingling", "pyside6-essentials", "sqlalchemy", "alembic", "phonenumbers", "keyring"} <= needed
    assert not {"pytest", "hypothesis", "ruff", "pyinstaller", "pip"} & needed
    foreign = release.foreign_modules()
    assert {"pytest", "_pytest", "hypothesis"} <= set(foreign)
    assert not {"sqlalchemy", "PySide6", "phonenumbers", "smsjingling", "serial"} & set(foreign)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) is not installed")
def test_installer_script_compiles(tmp_path, qapp) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "smsjingling.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK")
    icon = release.write_icon(tmp_path / "app.ico")
    out = tmp_path / "smsjingling-setup-1.2.3.exe"
    defines = {"VERSION": "1.2.3", "VERSION4": "1.2.3.0", "BUNDLE": bundle, "OUTFILE": out, "ICON": icon}
    command = ["makensis", "-V2", "-WX", "-INPUTCHARSET", "UTF8", *(f"-D{k}={v}" for k, v in defines.items())]
    result = subprocess.run(
        [*command, str(release.ROOT / "installer" / "smsjingling.nsi")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_the_uninstallers_cli_command_exists() -> None:
    """/DELETEDATA runs the installed console program's `--cli …` command to remove the keyring entries: a
    command the CLI has (tests/core/test_secrets_cli.py shows what it does)."""
    import re

    from smsjingling.cli.main import build_parser

    script = (release.ROOT / "installer" / "smsjingling.nsi").read_text(encoding="utf-8")
    commands = re.findall(r"nsExec::ExecToLog '\"\$INSTDIR\\\$\{CONSOLE_EXE\}\" --cli ([^']+)'", script)
    assert commands == ["secrets forget-all"]
    args = build_parser().parse_args(commands[0].split())
    assert args.handler.__module__ == "smsjingling.cli.stored_secrets"
