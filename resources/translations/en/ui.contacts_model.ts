<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../../ui/contacts_model.py" line="58"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="59"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="60"/>
        <source>运营商</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="61"/>
        <source>归属地</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="62"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="63"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="64"/>
        <source>退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="191"/>
        <source>座机</source>
        <translation>Landline</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="199"/>
        <source>已退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/contacts_model.py" line="206"/>
        <source>号段归属运营商；携号转网后可能已变更</source>
        <translation>Carrier the number range was allocated to; the number may have been ported since</translation>
    </message>
</context>
</TS>
