<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="128"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="128"/>
        <source>暂停这次发送：排队的短信先不发</source>
        <translation>Pause this send: queued messages wait</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="130"/>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="130"/>
        <source>继续发送排队的短信</source>
        <translation>Send the queued messages again</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="131"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="131"/>
        <source>取消排队中的短信</source>
        <translation>Cancel the queued messages</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="209"/>
        <source>读取发送进度失败：%1</source>
        <translation>Could not read the progress: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="260"/>
        <source>还没有发送任务</source>
        <translation>No sends yet</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="272"/>
        <source>%1 / %2（%p%）</source>
        <translation>%1 / %2 (%p%)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="276"/>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="277"/>
        <source>已发送</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="278"/>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="279"/>
        <source>排队中</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="280"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="281"/>
        <source>状态不明</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="282"/>
        <source>跳过或拦截</source>
        <translation>Skipped or blocked</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="283"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="287"/>
        <source>定于 %1 发送</source>
        <translation>Due at %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="326"/>
        <source>取消“%1”？排队中的 %2 条短信不再发送；正在发送的会发完。</source>
        <translation>Cancel “%1”? The %2 queued messages will not be sent; those being sent finish.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/progress.py" line="330"/>
        <source>取消发送</source>
        <translation>Cancel the send</translation>
    </message>
</context>
</TS>
