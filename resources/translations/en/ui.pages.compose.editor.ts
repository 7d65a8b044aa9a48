<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="91"/>
        <source>输入短信内容，例如：{姓名}您好，明天上午九点在三楼会议室开会。</source>
        <translation>Type the message, e.g. {姓名}您好，明天上午九点在三楼会议室开会。</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="97"/>
        <source>插入字段</source>
        <translation>Insert field</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="103"/>
        <source>插入合并字段，发送时换成每位收件人自己的内容。
{姓名|同事} 表示没有姓名时用“同事”；花括号本身写作 {{ 或 }}。</source>
        <translation>Insert a merge field: each recipient gets their own value.
{姓名|同事} uses “同事” when there is no name; write a brace itself as {{ or }}.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="186"/>
        <source>尚未输入内容</source>
        <translation>No text yet</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="190"/>
        <source>GSM-7（英文）</source>
        <translation>GSM-7 (Latin)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="190"/>
        <source>UCS2（中文）</source>
        <translation>UCS2 (Chinese)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="192"/>
        <source>%1 字 · %2 · %3 条短信 · 本条还可输入 %4 字</source>
        <translation>%1 characters · %2 · %3 part(s) · %4 left in this part</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="200"/>
        <source>按发送时的全文计算（含签名%1），每条最多 %2 字；含合并字段时以每位收件人实际内容为准。</source>
        <translation>Counted on the full text as sent (with the signature%1), at most %2 characters a part; with merge fields each recipient&apos;s own text counts.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="201"/>
        <source>与退订提示</source>
        <translation> and the unsubscribe note</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="222"/>
        <source>含禁用词，不能发送：%1</source>
        <translation>Contains banned words and cannot be sent: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/editor.py" line="235"/>
        <source>通讯录中没有这些字段，没有它们的收件人会被跳过：%1</source>
        <translation>The contact book has no such fields; recipients without them are skipped: %1</translation>
    </message>
</context>
</TS>
