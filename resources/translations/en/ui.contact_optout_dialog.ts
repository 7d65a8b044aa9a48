<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>OptOutDialog</name>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="13"/>
        <location filename="../../../ui/contact_optout_dialog.py" line="23"/>
        <source>退订</source>
        <translation>Opt out</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="15"/>
        <source>选中的 %1 位联系人将不再收到短信。</source>
        <translation>The %1 selected contacts will receive no more messages.</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="21"/>
        <source>如 本人来电要求</source>
        <translation>e.g. asked by phone</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="24"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="29"/>
        <source>原因(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <location filename="../../../ui/contact_optout_dialog.py" line="30"/>
        <source>说明(&amp;N)：</source>
        <translation>&amp;Note:</translation>
    </message>
</context>
</TS>
