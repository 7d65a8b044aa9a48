<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>LogPage</name>
    <message>
        <location filename="../../../ui/pages/log.py" line="78"/>
        <source>已导出 %1 条日志到 %2</source>
        <translation>Exported %1 log events to %2</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="80"/>
        <source>导出已取消，没有写入文件。</source>
        <translation>The export was cancelled; no file was written.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="88"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="90"/>
        <source>重新读取日志 (F5)</source>
        <translation>Read the log again (F5)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="93"/>
        <source>验证完整性</source>
        <translation>Verify integrity</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="95"/>
        <source>逐条核对日志的哈希链，检查是否有记录被修改或删除 (Ctrl+Shift+V)</source>
        <translation>Check the log&apos;s hash chain row by row for changed or deleted rows (Ctrl+Shift+V)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="98"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="100"/>
        <source>把当前筛选出的日志导出为 Excel 或 CSV 文件 (Ctrl+E)</source>
        <translation>Export the events the filter finds to an Excel or CSV file (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="107"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="117"/>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="120"/>
        <source>按操作筛选</source>
        <translation>Filter by action</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="123"/>
        <source>全部操作人</source>
        <translation>All users</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="126"/>
        <source>按操作人（登录 Windows 的用户名）筛选</source>
        <translation>Filter by user (the Windows login name)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="129"/>
        <source>搜索详情、操作人或计算机</source>
        <translation>Search details, users or computers</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="246"/>
        <source>共 %1 条日志</source>
        <translation>%1 events</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="256"/>
        <source>正在验证日志的完整性…</source>
        <translation>Verifying the log…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="272"/>
        <source>✔ 日志完整：共 %1 条记录，哈希链没有断裂，没有记录被修改或删除。</source>
        <translation>✔ The log is intact: %1 events, the hash chain is unbroken, no row was changed or deleted.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="279"/>
        <source>✘ 日志已被改动：发现 %1 处断裂（共 %2 条记录）。断裂处在表格中以红色标出。</source>
        <translation>✘ The log was tampered with: %1 break(s) in %2 events. They are marked red in the table.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="286"/>
        <source>内容与其哈希不符，这一行被修改过</source>
        <translation>its content does not match its hash; this row was changed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="288"/>
        <source>与前一条不相连，前一条被删除或修改过</source>
        <translation>does not follow from the row before; that one was deleted or changed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="291"/>
        <source>第 %1 条（%2 %3 %4）：%5</source>
        <translation>Event %1 (%2 %3 %4): %5</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="299"/>
        <source>……另有 %1 处</source>
        <translation>…and %1 more</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="318"/>
        <source>审计日志 %1 至 %2.xlsx</source>
        <translation>Audit log %1 to %2.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="320"/>
        <source>导出审计日志</source>
        <translation>Export the audit log</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/log.py" line="320"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
</context>
</TS>
