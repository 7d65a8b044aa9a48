<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CampaignsModel</name>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="75"/>
        <source>发送任务</source>
        <translation>Sends</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="76"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="77"/>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="78"/>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="79"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="154"/>
        <source>%1
创建于 %2</source>
        <translation>%1
created %2</translation>
    </message>
</context>
<context>
    <name>MessagesModel</name>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="230"/>
        <source>手机号码</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="231"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="232"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="233"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="234"/>
        <source>通道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="235"/>
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
</context>
<context>
    <name>compose</name>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="184"/>
        <source>等待定时</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="185"/>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="186"/>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="187"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="188"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/models.py" line="189"/>
        <source>已错过</source>
        <translation>Missed</translation>
    </message>
</context>
</TS>
