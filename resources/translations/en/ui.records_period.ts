<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>PeriodPicker</name>
    <message>
        <location filename="../../../ui/records_period.py" line="56"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="57"/>
        <source>最近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="58"/>
        <source>最近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="59"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="60"/>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="61"/>
        <source>今年</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="62"/>
        <source>全部日期</source>
        <translation>All dates</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="63"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="67"/>
        <source>按日期筛选</source>
        <translation>Filter by date</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="70"/>
        <source>开始日期（含）</source>
        <translation>First day (included)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="70"/>
        <source>结束日期（含）</source>
        <translation>Last day (included)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_period.py" line="81"/>
        <source>至</source>
        <translation>to</translation>
    </message>
</context>
</TS>
