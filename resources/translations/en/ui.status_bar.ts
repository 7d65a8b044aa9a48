<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../../ui/status_bar.py" line="75"/>
        <source>无法读取状态：%1</source>
        <translation>Cannot read the status: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="81"/>
        <source>没有可用通道</source>
        <translation>No channel available</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="84"/>
        <source>%1：今日已发 %2 / 上限 %3</source>
        <translation>%1: %2 sent today / cap %3</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="94"/>
        <source>余额 %1</source>
        <translation>Balance %1</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="95"/>
        <source>（余额不足）</source>
        <translation> (low balance)</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="97"/>
        <source>待发 %1</source>
        <translation>%1 waiting</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="100"/>
        <source>模拟</source>
        <translation>Simulated</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="101"/>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="104"/>
        <source>暂停</source>
        <translation>resting</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="105"/>
        <source>已达上限</source>
        <translation>cap reached</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="106"/>
        <source>未运行</source>
        <translation>not running</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="123"/>
        <source>正在启动发送服务…</source>
        <translation>Starting the sending service…</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="124"/>
        <source>发送服务运行中</source>
        <translation>Sending service running</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="125"/>
        <source>发送服务未能启动</source>
        <translation>Sending service failed to start</translation>
    </message>
    <message>
        <location filename="../../../ui/status_bar.py" line="126"/>
        <source>发送服务已停止</source>
        <translation>Sending service stopped</translation>
    </message>
</context>
</TS>
