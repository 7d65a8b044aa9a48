<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="36"/>
        <location filename="../../../ui/pages/compose/confirm.py" line="91"/>
        <source>确认发送</source>
        <translation>Confirm and send</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="43"/>
        <source>%1 位（发送 %2 位，跳过 %3 位）</source>
        <translation>%1 (%2 to send, %3 skipped)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="49"/>
        <source>收件人：</source>
        <translation>Recipients:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="54"/>
        <source>%1：%2 位</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="57"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="59"/>
        <source>跳过原因：</source>
        <translation>Skipped:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="61"/>
        <source>%1 条（长短信按条计费）</source>
        <translation>%1 (each part of a long message is billed)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="63"/>
        <source>短信条数：</source>
        <translation>Message parts:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="65"/>
        <source>约 ¥%1</source>
        <translation>About ¥%1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="67"/>
        <source>（账户可用余额 ¥%1）</source>
        <translation> (available balance ¥%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="69"/>
        <source>预计费用：</source>
        <translation>Estimated cost:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="71"/>
        <source>发送通道：</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="74"/>
        <source>发送时间：</source>
        <translation>When:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="75"/>
        <source>短信类型：</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="96"/>
        <source>返回修改</source>
        <translation>Go back and edit</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/confirm.py" line="105"/>
        <source>短信示例（发送时的全文）：</source>
        <translation>Example (the full text as sent):</translation>
    </message>
</context>
</TS>
