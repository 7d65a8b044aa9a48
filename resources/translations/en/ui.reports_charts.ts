<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>reports_charts</name>
    <message>
        <location filename="../../../ui/reports_charts.py" line="53"/>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="54"/>
        <source>已发送，等待状态报告</source>
        <translation>Sent, awaiting report</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="55"/>
        <source>未送达</source>
        <translation>Undelivered</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="56"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="57"/>
        <source>未决（排队或发送中）</source>
        <translation>Pending (queued or sending)</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="58"/>
        <source>未发出（拦截、跳过或取消）</source>
        <translation>Not sent (blocked, skipped or cancelled)</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="208"/>
        <source>送达率</source>
        <translation>Delivery rate</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="216"/>
        <source>短信费用（按单价）</source>
        <translation>Cost (at message price)</translation>
    </message>
    <message>
        <location filename="../../../ui/reports_charts.py" line="223"/>
        <source>网关实际扣费（含月租）</source>
        <translation>Charged by the gateway (with monthly fees)</translation>
    </message>
</context>
</TS>
