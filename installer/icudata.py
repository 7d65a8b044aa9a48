"""ICU's data, cut down to what Qt asks of it in this program (Linux bundles).

PySide6's Qt for Linux links ICU, whose data library (libicudata.so.NN) is one symbol, `icudtNN_dat`: the whole
common data package of every locale, script and converter, 31 MiB of the bundle. Qt calls ICU for little: case
mapping (built into libicuuc, no data), collation (QCollator: the file dialog sorts names with it), the time zone
names and IDs of QTimeZone, and the converters of QStringConverter for encodings Qt has none of its own for. The
program itself reads and writes files through Python's codecs, and its text is Chinese and English.

So the bundle's libicudata keeps the package's items for those uses only (root, Chinese and English locale data,
their collation and zone names, the zone tables, the converters' alias table and the Chinese converters): the
package is rewritten with its table of contents for the kept items, and the library around it with its one data
section shrunk to the new package (the ELF file's later sections moved up by whole pages). An item left out is
one ICU does not find: ICU then falls back (a locale to its parent and to root) or reports an error Qt handles
(a converter it cannot open is a codec Qt says it does not have); it never reads outside the package.

    python installer/icudata.py SOURCE.so OUT.so     # write the cut-down library
    python installer/icudata.py --list SOURCE.so     # the package's items and their sizes
"""

from __future__ import annotations

import fnmatch
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

PAGE = 0x1000
_PAD = b"\xaa"  # what ICU's tools fill the gaps between items with
# Items kept, as shell patterns after the package's own folder ("icudt73l/"). Locale data falls back from
# zh_Hans_CN to zh_Hans, zh and root, and en_US to en and root: those, in each tree a locale has data in.
LOCALES = ("root", "zh", "zh_Hans", "zh_Hans_CN", "zh_CN", "en", "en_US", "en_001", "en_GB")
TREES = ("", "coll/", "zone/", "lang/", "region/", "curr/", "unit/")
KEEP = (
    # Each tree's index of locales and its pool of shared strings (every .res of the tree points into it).
    *(f"{tree}{name}" for tree in TREES for name in ("res_index.res", "pool.res")),
    *(f"{tree}{locale}.res" for tree in TREES for locale in LOCALES),
    # Locale IDs and their likely forms (zh → zh_Hans_CN), the tables of zones, calendars and plural rules.
    "likelySubtags.res",
    "supplementalData.res",
    "metadata.res",
    "zoneinfo64.res",
    "metaZones.res",
    "timezoneTypes.res",
    "windowsZones.res",
    "keyTypeData.res",
    "icustd.res",
    "icuver.res",
    "plurals.res",
    "dayPeriods.res",
    "numberingSystems.res",
    "grammaticalFeatures.res",
    # Collation: the root order every tailoring builds on (zh.res holds pinyin, stroke and the others).
    "coll/ucadata.icu",
    # Character properties and normalization beyond NFC (which is built into libicuuc).
    "uprops.icu",
    "ucase.icu",
    "ubidi.icu",
    "nfkc.nrm",
    "nfkc_cf.nrm",
    "pnames.icu",
    "ulayout.icu",
    # Converters: the alias table, the Chinese code pages an office meets (GB18030; GBK as ICU and Windows have it;
    # GB2312 as EUC-CN and raw; Big5 as ICU and Windows have it), and Windows' Western code page.
    "cnvalias.icu",
    "gb18030.cnv",
    "ibm-1386_P100-2001.cnv",
    "windows-936-2000.cnv",
    "ibm-1383_P110-1999.cnv",
    "ibm-5478_P100-1995.cnv",
    "ibm-1373_P100-2002.cnv",
    "windows-950-2000.cnv",
    "ibm-5348_P100-1997.cnv",
)


@dataclass(frozen=True)
class Package:
    """An ICU common data package ("CmnD"): its header as found, and its items by name, in the package's order."""

    header: bytes
    items: dict[str, bytes]

    @property
    def prefix(self) -> str:
        """The package's folder in item names, "icudt73l/"."""
        first = next(iter(self.items))
        return first[: first.index("/") + 1]


def read_package(data: bytes) -> Package:
    """Parse a common data package: a header (its size in the first two bytes), then the table of contents: a
    count, and for each item the offsets of its name and its data from the table's start (items sorted by name)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package (little-endian, CmnD)")
    toc = data[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = {}
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items[name] = bytes(toc[data_at:end])
    return Package(bytes(data[:header_size]), items)


def write_package(package: Package) -> bytes:
    """The package as bytes, laid out as ICU's own tool writes it: table, names, items at 16-byte boundaries."""
    names = sorted(package.items, key=lambda n: n.encode("ascii"))  # ICU looks items up by binary search
    table_size = 4 + 8 * len(names)
    name_blob = b"".join(n.encode("ascii") + b"\0" for n in names)
    name_offsets = []
    at = table_size
    for name in names:
        name_offsets.append(at)
        at += len(name) + 1
    at = _align(at, 16)
    body = bytearray()
    data_offsets = []
    for name in names:
        data_offsets.append(at + len(body))
        body += package.items[name]
        body += _PAD * (_align(len(body), 16) - len(body))
    table = struct.pack("<I", len(names)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    head = table + name_blob
    return package.header + head + _PAD * (_align(len(head), 16) - len(head)) + bytes(body)


def subset(package: Package, keep: tuple[str, ...] = KEEP) -> Package:
    prefix = package.prefix
    kept = {
        name: blob
        for name, blob in package.items.items()
        if any(fnmatch.fnmatchcase(name.removeprefix(prefix), pattern) for pattern in keep)
    }
    return Package(package.header, kept)


# ELF64, little-endian: the header fields, program headers and section headers used below.
_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_SHT_DYNSYM = 11
_PT_LOAD = 1


@dataclass
class _Elf:
    raw: bytearray
    ehdr: list
    phdrs: list[list]
    shdrs: list[list]

    @classmethod
    def parse(cls, data: bytes) -> _Elf:
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not a 64-bit little-endian ELF file")
        ehdr = list(_EHDR.unpack_from(data, 0))
        phoff, shoff, phnum, shnum = ehdr[5], ehdr[6], ehdr[10], ehdr[12]
        phdrs = [list(_PHDR.unpack_from(data, phoff + i * _PHDR.size)) for i in range(phnum)]
        shdrs = [list(_SHDR.unpack_from(data, shoff + i * _SHDR.size)) for i in range(shnum)]
        return cls(bytearray(data), ehdr, phdrs, shdrs)

    def data_symbol(self) -> tuple[int, int, int]:
        """(index in .dynsym's table, section index, symbol entry) of the `icudtNN_dat` symbol."""
        dynsym = next(s for s in self.shdrs if s[1] == _SHT_DYNSYM)
        strtab = self.shdrs[dynsym[6]]
        for i in range(dynsym[5] // _SYM.size):
            at = dynsym[4] + i * _SYM.size
            name_at, _info, _other, shndx, _value, _size = _SYM.unpack_from(self.raw, at)
            start = strtab[4] + name_at
            name = self.raw[start : self.raw.index(b"\0", start)].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name):
                return at, shndx, i
        raise ValueError("no icudtNN_dat symbol: not ICU's data library")


def read_library(data: bytes) -> bytes:
    """The package inside an ICU data library (what its icudtNN_dat symbol points at)."""
    elf = _Elf.parse(data)
    sym_at, shndx, _ = elf.data_symbol()
    *_, value, size = _SYM.unpack_from(elf.raw, sym_at)
    section = elf.shdrs[shndx]
    start = section[4] + value - section[3]
    return bytes(elf.raw[start : start + size])


def rewrite_library(data: bytes, package: bytes) -> bytes:
    """The data library with `package` in place of its own: the data section (the last of the first loaded
    segment, as ICU's build lays it out) shrinks by whole pages, so every later part moves by the same pages and
    keeps its alignment; offsets and addresses after the data are moved, nothing before it changes."""
    elf = _Elf.parse(data)
    sym_at, shndx, _ = elf.data_symbol()
    name_at, info, other, _shndx, value, size = _SYM.unpack_from(elf.raw, sym_at)
    section = elf.shdrs[shndx]
    if value != section[3] or size != section[5]:
        raise ValueError("the data symbol does not fill its section")
    if len(package) > size:
        raise ValueError("the new package is larger than the old one")
    shrink = (size - len(package)) // PAGE * PAGE
    new_size = size - shrink
    old_end_offset, old_end_addr = section[4] + size, section[3] + size
    load = next(p for p in elf.phdrs if p[0] == _PT_LOAD and p[2] <= section[4] and section[4] + size <= p[2] + p[5])
    if load[2] + load[5] != old_end_offset:
        raise ValueError("the data section is not the end of its segment")
    for s in elf.shdrs:
        if s is not section and s[5] and s[4] < old_end_offset and s[4] + s[5] > section[4]:
            raise ValueError("another section overlaps the data")
    # The dynamic section's addresses (hash, symbols, strings) must all lie before the data: nothing to move.
    dynamic = next((p for p in elf.phdrs if p[0] == 2), None)  # PT_DYNAMIC
    if dynamic is not None:
        for i in range(dynamic[5] // 16):
            tag, ptr = struct.unpack_from("<qQ", elf.raw, dynamic[2] + 16 * i)
            if tag in (4, 5, 6, 0x6FFFFEF5) and ptr >= old_end_addr:  # DT_HASH, STRTAB, SYMTAB, GNU_HASH
                raise ValueError("the dynamic section points past the data")

    out = bytearray(elf.raw[: section[4]])
    out += package + bytes(new_size - len(package))
    out += elf.raw[old_end_offset:]
    for p in elf.phdrs:
        if p is load:
            p[5] -= shrink  # p_filesz
            p[6] -= shrink  # p_memsz
        elif p[2] >= old_end_offset:
            p[2] -= shrink  # p_offset
            p[3] -= shrink  # p_vaddr
            p[4] -= shrink  # p_paddr
    for s in elf.shdrs:
        if s is section:
            s[5] = new_size
        elif s[4] >= old_end_offset:
            s[4] -= shrink  # sh_offset
            if s[3] >= old_end_addr:
                s[3] -= shrink  # sh_addr
    elf.ehdr[6] -= shrink  # e_shoff
    _EHDR.pack_into(out, 0, *elf.ehdr)
    for i, p in enumerate(elf.phdrs):
        _PHDR.pack_into(out, elf.ehdr[5] + i * _PHDR.size, *p)
    for i, s in enumerate(elf.shdrs):
        _SHDR.pack_into(out, elf.ehdr[6] + i * _SHDR.size, *s)
    _SYM.pack_into(out, sym_at, name_at, info, other, _shndx, value, new_size)
    return bytes(out)


def cut_library(source: Path, target: Path, keep: tuple[str, ...] = KEEP) -> tuple[int, int]:
    """Write `source` (an ICU data library) to `target` with only the `keep` items; (bytes before, after)."""
    data = source.read_bytes()
    package = subset(read_package(read_library(data)), keep)
    out = rewrite_library(data, write_package(package))
    target.write_bytes(out)
    return len(data), len(out)


def _align(n: int, to: int) -> int:
    return (n + to - 1) // to * to


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--list"] and len(argv) == 2:
        package = read_package(read_library(Path(argv[1]).read_bytes()))
        for name, blob in package.items.items():
            print(f"{len(blob):9d} {name}")
        return 0
    if len(argv) == 2:
        before, after = cut_library(Path(argv[0]), Path(argv[1]))
        print(f"{argv[1]}: {after / 2**20:.1f} MiB (was {before / 2**20:.1f} MiB)")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
