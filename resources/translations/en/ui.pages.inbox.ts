<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>InboxPage</name>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="103"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="105"/>
        <source>重新读取收到的短信 (F5)</source>
        <translation>Read the received messages again (F5)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="108"/>
        <source>全部标为已读</source>
        <translation>Mark all read</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="109"/>
        <source>把所有未读回复标为已读</source>
        <translation>Mark every unread reply as read</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="112"/>
        <source>发送回复</source>
        <translation>Send reply</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="114"/>
        <source>把回复发给对方 (Ctrl+Enter)</source>
        <translation>Send the reply (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="121"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="129"/>
        <source>搜索姓名或号码</source>
        <translation>Search names or numbers</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="132"/>
        <source>只看未读</source>
        <translation>Unread only</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="138"/>
        <source>已退订</source>
        <translation>Opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="175"/>
        <source>退订</source>
        <translation>Unsubscribe</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="176"/>
        <source>部分分段未收到</source>
        <translation>some parts never arrived</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="177"/>
        <source>回复“%1”</source>
        <translation>reply to “%1”</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="188"/>
        <source>只显示最近的消息；更早的请在发送记录中查看。</source>
        <translation>Only the most recent messages are shown; see Sent messages for older ones.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="194"/>
        <source>输入回复内容，按 Ctrl+Enter 发送（会自动加上签名）</source>
        <translation>Type a reply and press Ctrl+Enter to send (the signature is added)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="197"/>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="258"/>
        <source>找到 %1 个会话</source>
        <translation>%1 conversations found</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="260"/>
        <source>共 %1 个会话</source>
        <translation>%1 conversations</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="302"/>
        <source>已将 %1 条回复标为已读</source>
        <translation>Marked %1 replies read</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="353"/>
        <source>请在左侧选择一个会话</source>
        <translation>Choose a conversation on the left</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="363"/>
        <source>已退订：%1，%2。群发短信不会再发给这个号码。</source>
        <translation>Opted out: %1, %2. Bulk sends will not go to this number.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="368"/>
        <source>（由回复“%1”退订，已在下方标出）</source>
        <translation> (by the reply “%1”, marked below)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="372"/>
        <source>未退订</source>
        <translation>Not opted out</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="382"/>
        <source>对方已退订，不能再给这个号码发短信。</source>
        <translation>This number opted out; no more messages can be sent to it.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="384"/>
        <source>这是服务号码或短号，不能回复。</source>
        <translation>This is a service number or short code; it cannot be replied to.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="415"/>
        <source>回复 %1</source>
        <translation>Reply to %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/inbox.py" line="429"/>
        <source>回复已排队发送（%1）</source>
        <translation>The reply is queued to send (%1)</translation>
    </message>
</context>
</TS>
