<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ExportBar</name>
    <message>
        <location filename="../../../ui/records_export.py" line="39"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../../ui/records_export.py" line="44"/>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <location filename="../../../ui/records_export.py" line="45"/>
        <source>停止导出，不写入文件</source>
        <translation>Stop the export without writing the file</translation>
    </message>
    <message>
        <location filename="../../../ui/records_export.py" line="60"/>
        <source>正在导出到 %1…</source>
        <translation>Exporting to %1…</translation>
    </message>
    <message>
        <location filename="../../../ui/records_export.py" line="79"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
</TS>
