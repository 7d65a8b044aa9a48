<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ModemDetailsDialog</name>
    <message>
        <location filename="../../../ui/devices_modem.py" line="81"/>
        <source>短信猫详情 — %1</source>
        <translation>Modem details — %1</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="88"/>
        <source>端口：</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="89"/>
        <source>厂商：</source>
        <translation>Manufacturer:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="90"/>
        <source>型号：</source>
        <translation>Model:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="91"/>
        <source>固件版本：</source>
        <translation>Firmware:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="92"/>
        <source>IMEI：</source>
        <translation>IMEI:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="93"/>
        <source>IMSI：</source>
        <translation>IMSI:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="94"/>
        <source>ICCID：</source>
        <translation>ICCID:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="95"/>
        <source>本机号码：</source>
        <translation>Own number:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="96"/>
        <source>SIM 卡：</source>
        <translation>SIM:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="97"/>
        <source>信号：</source>
        <translation>Signal:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="98"/>
        <source>网络注册：</source>
        <translation>Registration:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="99"/>
        <source>运营商：</source>
        <translation>Operator:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="100"/>
        <source>短信中心：</source>
        <translation>SMS centre:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="101"/>
        <source>读取方式：</source>
        <translation>Read:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="111"/>
        <source>输入 PIN…</source>
        <translation>Enter PIN…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="113"/>
        <source>测试发送…</source>
        <translation>Test send…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="114"/>
        <source>查询余额…</source>
        <translation>Check balance…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="115"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="143"/>
        <source>正在读取短信猫的信息…</source>
        <translation>Reading the modem…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="168"/>
        <source>%1 / 5 格</source>
        <translation>%1 / 5 bars</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="185"/>
        <source>经由正在运行的发送服务</source>
        <translation>through the running sending service</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="185"/>
        <source>直接打开端口</source>
        <translation>by opening the port</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="191"/>
        <source>SIM 卡需要 PIN 码才能收发短信。点“输入 PIN…”解锁。</source>
        <translation>The SIM needs its PIN before it can send. Click “Enter PIN…” to unlock it.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="193"/>
        <source>SIM 卡未就绪：%1</source>
        <translation>The SIM is not ready: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="195"/>
        <source>短信猫工作正常。</source>
        <translation>The modem works.</translation>
    </message>
</context>
<context>
    <name>ModemPin</name>
    <message>
        <location filename="../../../ui/devices_modem.py" line="36"/>
        <source>输入 PIN 码</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="38"/>
        <source>请输入“%1”的 SIM 卡 PIN 码（4 到 8 位数字）。</source>
        <translation>Enter the SIM PIN of “%1” (4 to 8 digits).</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="40"/>
        <source>PIN 码保存在系统钥匙串中，不写入数据库。输错不会自动重试；连续输错三次 SIM 卡会被锁定。</source>
        <translation>The PIN is kept in the system keyring, not in the database. A wrong PIN is never retried; three wrong tries lock the SIM.</translation>
    </message>
</context>
<context>
    <name>TestSendDialog</name>
    <message>
        <location filename="../../../ui/devices_modem.py" line="208"/>
        <source>测试发送 — %1</source>
        <translation>Test send — %1</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="212"/>
        <source>例如 13800138000</source>
        <translation>e.g. 13800138000</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="213"/>
        <source>这是一条来自短信精灵的测试短信。</source>
        <translation>This is a test message from SMS Jingling.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="218"/>
        <source>手机号码：</source>
        <translation>Mobile number:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="219"/>
        <source>短信内容：</source>
        <translation>Text:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="220"/>
        <source>测试短信直接从这个通道发出，不计入发送任务，也不要求状态报告。</source>
        <translation>The test message leaves through this channel directly; it belongs to no campaign and asks for no delivery report.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="223"/>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="246"/>
        <source>正在发送…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="264"/>
        <source>未发出：%1</source>
        <translation>Not sent: %1</translation>
    </message>
</context>
<context>
    <name>UssdDialog</name>
    <message>
        <location filename="../../../ui/devices_modem.py" line="277"/>
        <source>查询余额（USSD） — %1</source>
        <translation>Balance query (USSD) — %1</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="282"/>
        <source>运营商的查询代码，由数字、* 和 # 组成，以 # 结尾</source>
        <translation>The operator&apos;s code: digits, * and #, ending with #</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="284"/>
        <source>USSD 代码：</source>
        <translation>USSD code:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="288"/>
        <source>运营商的回复会显示在这里</source>
        <translation>The operator&apos;s answer appears here</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="290"/>
        <source>回复：</source>
        <translation>Answer:</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="292"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="310"/>
        <source>正在查询，运营商的回复可能需要十几秒…</source>
        <translation>Asking; the operator may take some seconds to answer…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="323"/>
        <source>（运营商的回复是空的）</source>
        <translation>(the operator&apos;s answer is empty)</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="324"/>
        <source>已收到运营商的回复。</source>
        <translation>The operator answered.</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_modem.py" line="331"/>
        <source>查询失败：%1</source>
        <translation>The query failed: %1</translation>
    </message>
</context>
</TS>
