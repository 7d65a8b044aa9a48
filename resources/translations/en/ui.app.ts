<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>app</name>
    <message>
        <location filename="../../../ui/app.py" line="48"/>
        <source>短信精灵 — 无法打开数据库</source>
        <translation>SMS Jingling — cannot open the database</translation>
    </message>
</context>
</TS>
