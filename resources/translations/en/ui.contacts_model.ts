<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../../ui/contacts_model.py" line="97"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="98"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="99"/>
        <source>运营商</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="100"/>
        <source>归属地</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="101"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="102"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="103"/>
        <source>退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="94"/>
        <source>座机</source>
        <translation>Landline</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="95"/>
        <source>已退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="347"/>
        <source>号段归属运营商；携号转网后可能已变更</source>
        <translation>Carrier the number range was allocated to; the number may have been ported since</translation>
    </message>
</context>
</TS>
