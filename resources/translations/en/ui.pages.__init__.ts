<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>nav</name>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="28"/>
        <source>通讯录</source>
        <translation>Contacts</translation>
    </message>
</context>
</TS>
