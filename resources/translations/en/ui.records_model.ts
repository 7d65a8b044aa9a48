<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>RecordsModel</name>
    <message>
        <location filename="../../../ui/records_model.py" line="118"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="119"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="120"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="121"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="122"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="123"/>
        <source>通道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="124"/>
        <source>任务</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="125"/>
        <source>条数</source>
        <translation>Parts</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="126"/>
        <source>费用（元）</source>
        <translation>Cost (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="127"/>
        <source>发送人</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="446"/>
        <source>发出时间</source>
        <translation>When it was sent</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="446"/>
        <source>创建时间（尚未发出）</source>
        <translation>When it was created (not sent yet)</translation>
    </message>
</context>
</TS>
