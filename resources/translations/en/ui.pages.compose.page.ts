<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ComposePage</name>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="219"/>
        <source>“%1”已发送完毕</source>
        <translation>“%1” has been sent in full</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="228"/>
        <location filename="../../../ui/pages/compose/page.py" line="582"/>
        <source>发送…</source>
        <translation>Send…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="231"/>
        <source>核对收件人、条数和费用后发送（Ctrl+Enter）</source>
        <translation>Check recipients, parts and cost, then send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="233"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="234"/>
        <source>清空收件人和短信内容</source>
        <translation>Clear the recipients and the text</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="236"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="239"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="251"/>
        <source>收件人</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="254"/>
        <source>发送设置</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="257"/>
        <source>通知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="258"/>
        <source>工作通知：任何时间都可发送</source>
        <translation>A work notice: may be sent at any hour</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="259"/>
        <source>营销</source>
        <translation>Marketing</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="260"/>
        <source>营销短信：只在允许的时段发送，并自动加上退订提示</source>
        <translation>Marketing: sent only in the allowed hours, with the unsubscribe note added</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="269"/>
        <source>类型：</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="271"/>
        <source>任务名称（可不填，默认取短信开头）</source>
        <translation>Name of the send (optional; the start of the text by default)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="273"/>
        <source>名称：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="275"/>
        <source>经哪个通道发出</source>
        <translation>Which channel sends it</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="276"/>
        <source>通道：</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="277"/>
        <source>时间：</source>
        <translation>When:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="280"/>
        <source>费用：</source>
        <translation>Cost:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="288"/>
        <source>短信内容</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="291"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="293"/>
        <source>看看这位收件人收到的短信</source>
        <translation>See the message this recipient gets</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="297"/>
        <source>在收件人中查找</source>
        <translation>Find among the recipients</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="310"/>
        <source>收件人：</source>
        <translation>Recipient:</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="331"/>
        <source>发送任务</source>
        <translation>Sends</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="410"/>
        <source>自动（短信猫优先，忙时经网关）</source>
        <translation>Automatic (modems first, the gateway when they are busy)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="412"/>
        <source>只用短信猫（猫池）</source>
        <translation>Modems only (the pool)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="414"/>
        <source>只用短信网关</source>
        <translation>Gateway only</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="416"/>
        <source>短信猫</source>
        <translation>modem</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="416"/>
        <source>网关</source>
        <translation>gateway</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="418"/>
        <source>只用 %1（%2）</source>
        <translation>Only %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="507"/>
        <source>输入短信内容后，这里显示收件人收到的样子。</source>
        <translation>Type the message to see it here as a recipient gets it.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="510"/>
        <source>正在读取设置…</source>
        <translation>Reading the settings…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="521"/>
        <source>选择收件人后，这里显示合并字段换成其内容后的短信。</source>
        <translation>Choose recipients to see the message with the merge fields filled in.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="529"/>
        <source>%1 字 · %2 · %3 条 · ¥%4</source>
        <translation>%1 characters · %2 · %3 part(s) · ¥%4</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="536"/>
        <source>这位收件人不会收到短信：%1</source>
        <translation>This recipient gets no message: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="563"/>
        <source>选择收件人并输入内容后估算</source>
        <translation>Estimated once recipients and text are chosen</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="567"/>
        <source>约 %1 位 × %2 条 × ¥%3 = ¥%4</source>
        <translation>About %1 × %2 part(s) × ¥%3 = ¥%4</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="574"/>
        <source>；可用余额 ¥%1</source>
        <translation>; available balance ¥%1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="576"/>
        <source>（余额不足）</source>
        <translation> (not enough)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="578"/>
        <source>（可用余额 ¥%1）</source>
        <translation> (available balance ¥%1)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="582"/>
        <source>定时发送…</source>
        <translation>Schedule…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="602"/>
        <source>请先选择收件人</source>
        <translation>Choose the recipients first</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="606"/>
        <source>请先输入短信内容</source>
        <translation>Type the message first</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="611"/>
        <source>正在核对收件人和费用…</source>
        <translation>Checking recipients and cost…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="640"/>
        <location filename="../../../ui/pages/compose/page.py" line="667"/>
        <source>未发送</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="642"/>
        <source>正在排队…</source>
        <translation>Queuing…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="660"/>
        <source>已开始发送</source>
        <translation>Sending has started</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/compose/page.py" line="662"/>
        <source>已安排：%1</source>
        <translation>Scheduled: %1</translation>
    </message>
</context>
</TS>
