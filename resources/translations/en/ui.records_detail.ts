<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>MessageDetailDialog</name>
    <message>
        <location filename="../../../ui/records_detail.py" line="70"/>
        <source>短信详情</source>
        <translation>Message details</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="86"/>
        <source>接收人：</source>
        <translation>Recipient:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="87"/>
        <source>任务：</source>
        <translation>Campaign:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="88"/>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="89"/>
        <source>原因：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="90"/>
        <source>通道：</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="91"/>
        <source>时间：</source>
        <translation>Times:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="92"/>
        <source>条数与费用：</source>
        <translation>Parts and cost:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="99"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="99"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="99"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="99"/>
        <source>通道原话</source>
        <translation>Channel&apos;s words</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="99"/>
        <location filename="../../../ui/records_detail.py" line="103"/>
        <source>通道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="103"/>
        <source>分段</source>
        <translation>Part</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="103"/>
        <source>参考号（TP-MR）</source>
        <translation>Reference (TP-MR)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="103"/>
        <source>状态报告</source>
        <translation>Delivery report</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="103"/>
        <source>报告时间</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="114"/>
        <source>状态变化</source>
        <translation>Status changes</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="116"/>
        <source>短信分段</source>
        <translation>SMS parts</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="120"/>
        <source>重发</source>
        <translation>Resend</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="121"/>
        <source>把这条短信重新排队发送</source>
        <translation>Queue this message to send again</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="127"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="131"/>
        <source>内容：</source>
        <translation>Text:</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="166"/>
        <source>（%1 创建）</source>
        <translation> (created by %1)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="173"/>
        <source>通道原话：%1</source>
        <translation>Channel&apos;s words: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="176"/>
        <source>（未经过任何通道）</source>
        <translation>(never reached a channel)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="177"/>
        <source>创建 %1</source>
        <translation>created %1</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="179"/>
        <source>发出 %1</source>
        <translation>sent %1</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="181"/>
        <source>结束 %1</source>
        <translation>final %1</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="185"/>
        <source>%1 条（%2），%3 元，尝试 %4 次</source>
        <translation>%1 part(s) (%2), %3 yuan, %4 attempt(s)</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="224"/>
        <source>未收到</source>
        <translation>Not received</translation>
    </message>
    <message>
        <location filename="../../../ui/records_detail.py" line="233"/>
        <source>无法读取这条短信。</source>
        <translation>This message could not be read.</translation>
    </message>
</context>
</TS>
