<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>GatewayDialog</name>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="59"/>
        <source>添加网关账户</source>
        <translation>Add a gateway account</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="66"/>
        <source>短信网关</source>
        <translation>SMS gateway</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="75"/>
        <source>保存在系统钥匙串中，不写入数据库，也不出现在日志里</source>
        <translation>Kept in the system keyring; never in the database or the log</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="80"/>
        <source> 分/条</source>
        <translation> fen/message</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="81"/>
        <source>余额按短信条数计的账户，用每条的价格换算成金额</source>
        <translation>For an account whose balance is a message count: the price of one message turns it into money</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="82"/>
        <source>允许在局域网内使用 http（密码会以明文传输）</source>
        <translation>Allow plain http on the office LAN (the password travels in clear)</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="87"/>
        <source>网关类型：</source>
        <translation>Gateway kind:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="88"/>
        <source>通道名称：</source>
        <translation>Channel name:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="89"/>
        <source>网关地址：</source>
        <translation>Gateway address:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="90"/>
        <source>账号：</source>
        <translation>Account:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="91"/>
        <source>密码或密钥：</source>
        <translation>Password or key:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="92"/>
        <source>每条价格：</source>
        <translation>Price per message:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="102"/>
        <source>自定义接口</source>
        <translation>Custom interface</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="108"/>
        <source>正则表达式，例如 ^0$ 或 &lt;returnstatus&gt;Success</source>
        <translation>A regular expression, e.g. ^0$ or &lt;returnstatus&gt;Success</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="110"/>
        <source>可不填；第一组为网关的短信编号</source>
        <translation>Optional; its first group is the gateway&apos;s message id</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="115"/>
        <source>+8613800138000</source>
        <translation>+8613800138000</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="115"/>
        <source>13800138000</source>
        <translation>13800138000</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="115"/>
        <source>8613800138000</source>
        <translation>8613800138000</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="119"/>
        <source>可不填；余额查询地址，可用 {user} {password}</source>
        <translation>Optional; the balance query address, may use {user} {password}</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="121"/>
        <source>正则表达式，第一组为余额</source>
        <translation>A regular expression; its first group is the balance</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="125"/>
        <source> 分</source>
        <translation> fen</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="126"/>
        <source>余额数字的一个单位值多少分：以元计为 100，以条计为每条价格</source>
        <translation>Fen per unit of the balance figure: 100 for yuan, the price of a message for a count</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="128"/>
        <source>请求方式：</source>
        <translation>Method:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="129"/>
        <source>发送成功的回复：</source>
        <translation>Answer to an accepted send:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="130"/>
        <source>短信编号：</source>
        <translation>Message id:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="131"/>
        <source>文字编码：</source>
        <translation>Text encoding:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="132"/>
        <source>号码格式：</source>
        <translation>Number format:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="133"/>
        <source>余额查询地址：</source>
        <translation>Balance address:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="134"/>
        <source>余额的回复：</source>
        <translation>Balance answer:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="135"/>
        <source>余额单位：</source>
        <translation>Balance unit:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="137"/>
        <source>预付费账户</source>
        <translation>Prepaid account</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="138"/>
        <source>开设预付费账户（本机记账，并以网关的余额为准对账）</source>
        <translation>Open a prepaid account (kept here, reconciled with the gateway&apos;s balance)</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="142"/>
        <source>可用余额低于此数时提醒（元）；0 为不提醒</source>
        <translation>Warn when the available balance falls below this (yuan); 0 never warns</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="145"/>
        <source>余额提醒线（元）：</source>
        <translation>Warning line (yuan):</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="152"/>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="154"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="199"/>
        <source>供应商提供的接口地址，https:// 开头</source>
        <translation>The address the vendor gave, starting with https://</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="200"/>
        <source>例如 http://192.168.1.20:13013/cgi-bin/sendsms</source>
        <translation>e.g. http://192.168.1.20:13013/cgi-bin/sendsms</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="201"/>
        <source>例如 https://jasmin.example.com:1401</source>
        <translation>e.g. https://jasmin.example.com:1401</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="202"/>
        <source>发送地址，可用 {phone} {text} {user} {password}</source>
        <translation>The send address; may use {phone} {text} {user} {password}</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="207"/>
        <source>账户编号</source>
        <translation>Account id</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="208"/>
        <source>短信宝用户名</source>
        <translation>短信宝 user name</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="209"/>
        <source>sendsms 用户名</source>
        <translation>sendsms user name</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="210"/>
        <source>Jasmin 用户名</source>
        <translation>Jasmin user name</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="211"/>
        <source>可不填；模板中的 {user}</source>
        <translation>Optional; {user} in the templates</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="214"/>
        <source>云片的 APIKEY</source>
        <translation>The 云片 APIKEY</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="252"/>
        <source>正在连接网关…</source>
        <translation>Connecting to the gateway…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_gateway.py" line="302"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
</context>
</TS>
