<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../../ui/pages/devices.py" line="82"/>
        <source>双击短信猫查看详情。信号格数由发送服务定时读取；停用的通道不参与发送。</source>
        <translation>Double-click a modem for its details. The sending service reads the signal now and then; disabled channels do not send.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="125"/>
        <source>扫描端口…</source>
        <translation>Scan ports…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="125"/>
        <source>查找这台电脑上的短信猫并添加为通道</source>
        <translation>Find the modems on this computer and add them as channels</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="128"/>
        <source>添加网关账户…</source>
        <translation>Add gateway account…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="128"/>
        <source>添加短信网关的账户（密码保存在系统钥匙串中）</source>
        <translation>Add an SMS gateway account (the password is kept in the system keyring)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="132"/>
        <source>详情…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="132"/>
        <source>短信猫和 SIM 卡的详细信息</source>
        <translation>The modem&apos;s and its SIM&apos;s details</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="135"/>
        <source>输入 PIN…</source>
        <translation>Enter PIN…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="135"/>
        <source>输入 SIM 卡的 PIN 码解锁</source>
        <translation>Unlock the SIM with its PIN</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="138"/>
        <source>测试发送…</source>
        <translation>Test send…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="138"/>
        <source>通过这个短信猫发一条测试短信</source>
        <translation>Send a test message through this modem</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="141"/>
        <source>查询余额…</source>
        <translation>Check balance…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="141"/>
        <source>用 USSD 代码（如 *100#）查询 SIM 卡话费余额</source>
        <translation>Ask the SIM&apos;s credit with a USSD code (such as *100#)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="145"/>
        <location filename="../../../ui/pages/devices.py" line="311"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="145"/>
        <source>停用或启用选中的通道</source>
        <translation>Disable or enable the chosen channel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="148"/>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="148"/>
        <source>删除选中的通道（发送记录保留）</source>
        <translation>Remove the chosen channel (its send records stay)</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="152"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="152"/>
        <source>重新读取通道和短信猫的信息</source>
        <translation>Read the channels and modems again</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="155"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="238"/>
        <source>共 %1 个通道（短信猫 %2 个，网关 %3 个），启用 %4 个</source>
        <translation>%1 channel(s) (%2 modem(s), %3 gateway(s)), %4 enabled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="308"/>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="397"/>
        <source>正在解锁 %1 的 SIM 卡…</source>
        <translation>Unlocking the SIM of %1…</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="407"/>
        <source>%1 的 SIM 卡已解锁，PIN 码已保存在系统钥匙串中。</source>
        <translation>The SIM of %1 is unlocked; its PIN is kept in the system keyring.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="420"/>
        <source>已启用 %1</source>
        <translation>Enabled %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="420"/>
        <source>已停用 %1</source>
        <translation>Disabled %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="434"/>
        <source>删除通道“%1”？已发送的记录会保留。只想暂时不用它时，可以改为“停用”。</source>
        <translation>Remove the channel “%1”? Its send records stay. To stop using it for a while, disable it instead.</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="437"/>
        <source>删除通道</source>
        <translation>Remove channel</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="453"/>
        <source>已删除通道 %1</source>
        <translation>Removed the channel %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="462"/>
        <source>已添加模拟短信猫和模拟短信网关</source>
        <translation>Added the simulated modem and the simulated SMS gateway</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="467"/>
        <source>已添加通道 %1</source>
        <translation>Added the channel %1</translation>
    </message>
    <message>
        <location filename="../../../ui/pages/devices.py" line="470"/>
        <source>已添加网关账户 %1</source>
        <translation>Added the gateway account %1</translation>
    </message>
</context>
</TS>
