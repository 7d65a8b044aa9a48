<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>errors</name>
    <message>
        <location filename="../../../ui/errors.py" line="49"/>
        <source>操作系统报告错误：%1</source>
        <translation>The operating system reported an error: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/errors.py" line="50"/>
        <source>程序内部出错（%1）。详细信息已写入日志文件，可以发给技术支持。</source>
        <translation>An internal error occurred (%1). The details are in the log file, which you can send to support.</translation>
    </message>
    <message>
        <location filename="../../../ui/errors.py" line="57"/>
        <location filename="../../../ui/errors.py" line="84"/>
        <source>短信精灵</source>
        <translation>SMS Jingling</translation>
    </message>
    <message>
        <location filename="../../../ui/errors.py" line="68"/>
        <source>打开日志文件</source>
        <translation>Open log file</translation>
    </message>
</context>
</TS>
