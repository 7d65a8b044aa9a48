<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>WindowEditor</name>
    <message>
        <location filename="../../../ui/settings_fields.py" line="167"/>
        <source>限制在</source>
        <translation>Only between</translation>
    </message>
    <message>
        <location filename="../../../ui/settings_fields.py" line="178"/>
        <source>至</source>
        <translation>and</translation>
    </message>
    <message>
        <location filename="../../../ui/settings_fields.py" line="181"/>
        <source>结束早于开始时跨过午夜，例如 23:00 至 06:00</source>
        <translation>An end before the start runs over midnight, e.g. 23:00 to 06:00</translation>
    </message>
</context>
<context>
    <name>WordsEditor</name>
    <message>
        <location filename="../../../ui/settings_fields.py" line="209"/>
        <source>用顿号、逗号或空格分隔，例如 TD、退订</source>
        <translation>Separate with 、 commas or spaces, e.g. TD、退订</translation>
    </message>
</context>
</TS>
