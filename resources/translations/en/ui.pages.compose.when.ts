<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>WhenBox</name>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="41"/>
        <location filename="../../../ui/pages/compose/when.py" line="119"/>
        <source>立即发送</source>
        <translation>Send now</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="42"/>
        <source>定时发送</source>
        <translation>At a time</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="43"/>
        <source>重复发送</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="52"/>
        <source>时间按设置中的时区（%1）</source>
        <translation>Times are in the settings&apos; time zone (%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="54"/>
        <source>每天</source>
        <translation>Every day</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="54"/>
        <source>每周</source>
        <translation>Every week</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="54"/>
        <source>每月</source>
        <translation>Every month</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/when.py" line="54"/>
        <source>每个工作日</source>
        <translation>Every workday</translation>
    </message>
</context>
</TS>
