<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ScheduleDialog</name>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="53"/>
        <source>修改发送时间 — %1</source>
        <translation>Change time — %1</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="63"/>
        <source>不重复（只发送一次）</source>
        <translation>Does not repeat (send once)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="64"/>
        <source>每天</source>
        <translation>Daily</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="65"/>
        <source>每个工作日（周一至周五）</source>
        <translation>Every workday (Monday to Friday)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="66"/>
        <source>每周</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="67"/>
        <source>每月</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="68"/>
        <source>自定义规则（RRULE）</source>
        <translation>Custom rule (RRULE)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="78"/>
        <source>每</source>
        <translation>Every</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="102"/>
        <source> 日</source>
        <translation> (day of month)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="103"/>
        <source>月末最后一天</source>
        <translation>Last day of the month</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="105"/>
        <source>没有这一天的月份在月末发送</source>
        <translation>In months without that day, send on the last day</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="106"/>
        <source>没有这一天的月份不发送</source>
        <translation>In months without that day, do not send</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="117"/>
        <source>一直重复</source>
        <translation>Repeat without end</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="118"/>
        <source>重复一定次数</source>
        <translation>Repeat a number of times</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="119"/>
        <source>到某一天为止</source>
        <translation>Until a date</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="122"/>
        <source> 次</source>
        <translation> times</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="143"/>
        <source>只发送一次的任务在这个时间发送；重复的任务从这个时间起按规则发送，每次都在这个时刻</source>
        <translation>A one-off is sent at this time; a repeating schedule sends by its rule from this time on, always at this time of day</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="145"/>
        <source>开始时间：</source>
        <translation>Start:</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="146"/>
        <source>重复：</source>
        <translation>Repeat:</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="149"/>
        <source>结束：</source>
        <translation>End:</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="150"/>
        <source>时区：%1</source>
        <translation>Time zone: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="277"/>
        <source>天</source>
        <translation>days</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="278"/>
        <source>周</source>
        <translation>weeks</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="279"/>
        <source>个月</source>
        <translation>months</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_edit.py" line="304"/>
        <source>
首次发送：%1</source>
        <translation>
First send: %1</translation>
    </message>
</context>
</TS>
