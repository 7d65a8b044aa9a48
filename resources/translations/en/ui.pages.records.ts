<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>RecordsPage</name>
    <message>
        <location filename="../../../ui/pages/records.py" line="123"/>
        <source>已导出 %1 条记录到 %2</source>
        <translation>Exported %1 messages to %2</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="125"/>
        <source>导出已取消，没有写入文件。</source>
        <translation>The export was cancelled; no file was written.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="137"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="139"/>
        <source>重新读取发送记录 (F5)</source>
        <translation>Read the record again (F5)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="142"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="143"/>
        <source>查看这条短信的每一次状态变化和分段 (Enter)</source>
        <translation>See every status change and part of this message (Enter)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="146"/>
        <source>重发选中的失败短信</source>
        <translation>Resend selected failures</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="148"/>
        <source>把选中的失败、未送达或状态不明的短信重新排队 (Ctrl+R)</source>
        <translation>Queue the selected failed, undelivered or unknown messages again (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="151"/>
        <source>重发该任务全部失败短信</source>
        <translation>Resend all failures of this campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="152"/>
        <source>把当前行所属任务中所有失败、未送达或状态不明的短信重新排队</source>
        <translation>Queue again every failed, undelivered or unknown message of the current row&apos;s campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="155"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="157"/>
        <source>把当前筛选出的全部记录导出为 Excel 或 CSV 文件 (Ctrl+E)</source>
        <translation>Export every message the filter finds to an Excel or CSV file (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="164"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="186"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="187"/>
        <source>失败或未送达</source>
        <translation>Failed or undelivered</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="190"/>
        <source>按状态筛选；“失败或未送达”包括失败、未送达和状态不明的短信</source>
        <translation>Filter by status; “Failed or undelivered” includes failed, undelivered and unknown messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="194"/>
        <source>全部任务</source>
        <translation>All campaigns</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="197"/>
        <source>按发送任务筛选</source>
        <translation>Filter by campaign</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="201"/>
        <source>全部通道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="204"/>
        <source>按通道（短信猫或网关）筛选</source>
        <translation>Filter by channel (modem or gateway)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="208"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="210"/>
        <source>输入号码或其中几位</source>
        <translation>Type a number or some of its digits</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="356"/>
        <source>共 %1 条记录</source>
        <translation>%1 messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="406"/>
        <source>有大量新记录，已回到列表顶部</source>
        <translation>Many new messages arrived; back at the top of the list</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="468"/>
        <source>把选中的 %1 条失败短信重新排队发送？</source>
        <translation>Queue the %1 selected failed messages to send again?</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="469"/>
        <location filename="../../../ui/pages/records.py" line="490"/>
        <source>重发短信</source>
        <translation>Resend messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="489"/>
        <source>把任务“%1”中所有失败、未送达和状态不明的短信重新排队发送？</source>
        <translation>Queue every failed, undelivered and unknown message of “%1” to send again?</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="503"/>
        <source>已重新排队 %1 条短信</source>
        <translation>%1 messages queued again</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="505"/>
        <source>没有需要重发的短信</source>
        <translation>Nothing to resend</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="514"/>
        <source>发送记录 %1 至 %2.xlsx</source>
        <translation>Sent messages %1 to %2.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="517"/>
        <source>导出发送记录</source>
        <translation>Export the send record</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/records.py" line="517"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
</context>
</TS>
