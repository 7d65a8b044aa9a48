<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>RecipientsPanel</name>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="64"/>
        <source>勾选要发送的分组</source>
        <translation>Tick the groups to send to</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="65"/>
        <source>分组</source>
        <translation>Groups</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="69"/>
        <source>按姓名或号码查找联系人</source>
        <translation>Find a contact by name or number</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="73"/>
        <source>双击或按“添加”加入收件人</source>
        <translation>Double-click or press “Add” to add as a recipient</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="74"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="77"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="90"/>
        <source>联系人</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="93"/>
        <source>粘贴手机号码：每行一个，或用逗号、空格分隔</source>
        <translation>Paste mobile numbers: one a line, or separated by commas or spaces</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="95"/>
        <source>粘贴号码</source>
        <translation>Pasted numbers</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="172"/>
        <source>%1（%2 人）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="185"/>
        <source>通讯录中还没有分组</source>
        <translation>The contact book has no groups yet</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="220"/>
        <source>已退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="220"/>
        <source>不是手机号，不能接收短信</source>
        <translation>Not a mobile number: cannot receive SMS</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="254"/>
        <source>%1 个分组（%2 人）</source>
        <translation>%1 group(s) (%2 people)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="257"/>
        <source>%1 位联系人</source>
        <translation>%1 contact(s)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="259"/>
        <source>%1 个号码</source>
        <translation>%1 number(s)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="263"/>
        <source>尚未选择收件人</source>
        <translation>No recipients chosen</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="266"/>
        <source>已选：%1</source>
        <translation>Chosen: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="286"/>
        <source>；去重后共 %1 位收件人</source>
        <translation>; %1 different recipients</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/recipients.py" line="288"/>
        <source>，%1 个号码无效</source>
        <translation>, %1 not valid numbers</translation>
    </message>
</context>
</TS>
