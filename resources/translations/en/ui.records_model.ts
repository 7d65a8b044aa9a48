<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>RecordsModel</name>
    <message>
        <location filename="../../../ui/records_model.py" line="108"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="109"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="110"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="111"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="112"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="113"/>
        <source>通道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="114"/>
        <source>任务</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="115"/>
        <source>条数</source>
        <translation>Parts</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="116"/>
        <source>费用（元）</source>
        <translation>Cost (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="117"/>
        <source>发送人</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="356"/>
        <source>发出时间</source>
        <translation>When it was sent</translation>
    </message>
    <message>
        <location filename="../../../ui/records_model.py" line="356"/>
        <source>创建时间（尚未发出）</source>
        <translation>When it was created (not sent yet)</translation>
    </message>
</context>
</TS>
