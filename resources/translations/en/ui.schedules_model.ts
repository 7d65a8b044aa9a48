<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>SchedulesModel</name>
    <message>
        <location filename="../../../ui/schedules_model.py" line="45"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="46"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="47"/>
        <source>发送时间</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="48"/>
        <source>下次发送</source>
        <translation>Next send</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="49"/>
        <source>上次发送结果</source>
        <translation>Last send</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="50"/>
        <source>错过</source>
        <translation>Missed</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="51"/>
        <source>接收人</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="112"/>
        <source>%1 次</source>
        <translation>%1 time(s)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="118"/>
        <source>最近一次错过：%1（到时程序未在运行）</source>
        <translation>Last missed: %1 (the program was not running then)</translation>
    </message>
    <message>
        <location filename="../../../ui/schedules_model.py" line="120"/>
        <source>已暂停：继续后按这个时间发送</source>
        <translation>Paused: once resumed it sends at this time</translation>
    </message>
</context>
</TS>
