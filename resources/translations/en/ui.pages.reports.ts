<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../../ui/pages/reports.py" line="119"/>
        <source>最近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="120"/>
        <source>最近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="121"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="122"/>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="123"/>
        <source>今年</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="124"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="135"/>
        <source>第一天（包含）</source>
        <translation>First day (included)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="136"/>
        <source>最后一天（包含）</source>
        <translation>Last day (included)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="140"/>
        <source>按日</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="141"/>
        <source>按周</source>
        <translation>By week</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="142"/>
        <source>按月</source>
        <translation>By month</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="147"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="150"/>
        <source>重新统计（F5）</source>
        <translation>Count again (F5)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="152"/>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="155"/>
        <source>把当前期间的流量与费用报表保存为 Excel 文件（Ctrl+S）</source>
        <translation>Save the traffic and cost report of this period as an Excel file (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="160"/>
        <source>报表工具栏</source>
        <translation>Report toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="161"/>
        <source>期间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="163"/>
        <source>从</source>
        <translation>from</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="165"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="185"/>
        <source>短信数量（按状态）</source>
        <translation>Messages by status</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="186"/>
        <source>短信数量（按通道）</source>
        <translation>Messages by channel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="187"/>
        <source>送达率（已送达 ÷ 已发送）</source>
        <translation>Delivery rate (delivered ÷ sent)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="188"/>
        <source>费用（元）</source>
        <translation>Cost (yuan)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="191"/>
        <source>按状态</source>
        <translation>By status</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="192"/>
        <source>按通道</source>
        <translation>By channel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="193"/>
        <source>送达率</source>
        <translation>Delivery rate</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="194"/>
        <source>费用</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="286"/>
        <source>结束日期早于开始日期，请重新选择期间。</source>
        <translation>The end date is before the start date; choose the period again.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="292"/>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="328"/>
        <source>%1，共 %2 个时段</source>
        <translation>%1, %2 periods</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="330"/>
        <source>%1 没有发送记录</source>
        <translation>Nothing was sent in %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="344"/>
        <source>提交 %1 条，已发送 %2 条，已送达 %3 条，送达率 %4，费用 %5 元</source>
        <translation>%1 submitted, %2 sent, %3 delivered, delivery rate %4, cost %5 yuan</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="352"/>
        <source>；失败 %1 条，未发出 %2 条</source>
        <translation>; %1 failed, %2 not sent</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="363"/>
        <source>短信流量与费用_%1_%2.xlsx</source>
        <translation>SMS traffic and cost_%1_%2.xlsx</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="366"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="366"/>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="372"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/reports.py" line="383"/>
        <source>报表已导出到 %1（%2 行）</source>
        <translation>The report was exported to %1 (%2 rows)</translation>
    </message>
</context>
</TS>
