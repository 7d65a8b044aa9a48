"""installer/icudata.py: ICU's data library cut down for the Linux bundle. Read and written back whole it is the
same bytes; cut, it loads, and Qt's uses of ICU in the program (Chinese and English collation, the time zone
names, the GBK/GB18030/Big5 converters) give what the full data gives. (Other languages' orders are not kept:
zh_TW's stroke order, for one, falls back to zh's pinyin.)"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from installer import icudata

LIBRARIES = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
pytestmark = pytest.mark.skipif(not LIBRARIES, reason="this PySide6 has no ICU of its own (Windows, macOS)")

# Qt calls that reach ICU, printed; run with the full and with the cut data and compared.
QT_USES = """
import sys
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
for name in ("zh_CN", "zh", "en_US", "en_GB", "C"):
    collator = QCollator(QLocale(name))
    print(name, sorted(["张三", "李四", "王五", "阿", "b", "A", "Z", "ä"], key=collator.sortKey))
    collator.setNumericMode(True)
    print(name, collator.compare("文件10", "文件9"))
zone = QTimeZone(b"Asia/Shanghai")
for name in ("zh_CN", "en_US"):
    print(zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale(name)))
print(QLocale("zh_CN").toUpper("straße"), QLocale("en_US").toLower("ÀB"))
for encoding in ("GBK", "GB18030", "GB2312", "Big5", "windows-1252"):
    print(encoding, QStringDecoder(encoding).isValid())
"""


@pytest.fixture(scope="module")
def library() -> bytes:
    return LIBRARIES[0].read_bytes()


def test_read_and_written_back_whole_it_is_the_same(library: bytes) -> None:
    package = icudata.read_library(library)
    parsed = icudata.read_package(package)
    assert len(parsed.items) > 1000 and parsed.prefix.startswith("icudt")
    assert icudata.write_package(parsed) == package
    assert icudata.rewrite_library(library, package) == library


def test_the_cut_library_loads_and_holds_the_kept_items(library: bytes, tmp_path: Path) -> None:
    cut = tmp_path / LIBRARIES[0].name
    before, after = icudata.cut_library(LIBRARIES[0], cut)
    assert after < before / 5 and after == cut.stat().st_size
    names = set(icudata.read_package(icudata.read_library(cut.read_bytes())).items)
    prefix = icudata.read_package(icudata.read_library(library)).prefix
    for needed in ("coll/zh.res", "coll/ucadata.icu", "zoneinfo64.res", "zone/zh.res", "cnvalias.icu", "gb18030.cnv"):
        assert prefix + needed in names
    assert prefix + "coll/ja.res" not in names and prefix + "brkitr/cjdict.dict" not in names
    # The dynamic loader takes it, and its one symbol is the package's start (ICU's header magic).
    loaded = ctypes.CDLL(str(cut))
    symbol = next(n for n in ("icudt73_dat", *(f"icudt{v}_dat" for v in range(60, 100))) if hasattr(loaded, n))
    header = ctypes.string_at(ctypes.addressof(ctypes.c_char.in_dll(loaded, symbol)), 16)
    assert header[2:4] == b"\xda\x27" and header[12:16] == b"CmnD"


def test_qt_gives_with_the_cut_data_what_it_gives_with_the_full(tmp_path: Path) -> None:
    cut = tmp_path / LIBRARIES[0].name
    icudata.cut_library(LIBRARIES[0], cut)

    def run(preload: Path | None) -> str:
        # The dynamic loader takes a preloaded library for the one of the same name Qt's libraries ask for.
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if preload is not None:
            env["LD_PRELOAD"] = str(preload)
        result = subprocess.run(
            [sys.executable, "-c", QT_USES], env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    full = run(None)
    assert "['阿', '李四', '王五', '张三'" in full and "中国标准时间" in full and "GBK True" in full
    assert run(cut) == full
