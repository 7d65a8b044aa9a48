<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>LedgerModel</name>
    <message>
        <location filename="../../../ui/account_model.py" line="51"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="52"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="53"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="54"/>
        <source>预留变动（元）</source>
        <translation>Reserved change (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="55"/>
        <source>余额（元）</source>
        <translation>Balance (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="56"/>
        <source>条数</source>
        <translation>Segments</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="57"/>
        <source>短信编号</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="58"/>
        <source>任务编号</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="59"/>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../../ui/account_model.py" line="60"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
</context>
</TS>
