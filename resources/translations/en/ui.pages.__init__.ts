<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>nav</name>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="28"/>
        <source>发送短信</source>
        <translation>Send SMS</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="29"/>
        <source>通讯录</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="30"/>
        <source>发送记录</source>
        <translation>Sent messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="31"/>
        <source>收件箱</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="33"/>
        <source>定时任务</source>
        <translation>Schedules</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="35"/>
        <source>设备与通道</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="36"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="37"/>
        <source>统计报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="38"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/__init__.py" line="39"/>
        <source>日志</source>
        <translation>Audit log</translation>
    </message>
</context>
</TS>
