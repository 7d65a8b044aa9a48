<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DemoBanner</name>
    <message>
        <location filename="../../../ui/first_run.py" line="96"/>
        <source>还没有短信猫或网关账户。可以先用内置的【模拟】短信猫和【模拟】短信网关试用全部功能，不会发出真实短信。</source>
        <translation>No modem or gateway account yet. Try every feature with the built-in [SIMULATED] modem and [SIMULATED] gateway first; no real SMS is sent.</translation>
    </message>
    <message>
        <location filename="../../../ui/first_run.py" line="101"/>
        <source>使用模拟设备</source>
        <translation>Use the simulated devices</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../../ui/first_run.py" line="48"/>
        <source>欢迎使用短信精灵</source>
        <translation>Welcome to SMS Jingling</translation>
    </message>
    <message>
        <location filename="../../../ui/first_run.py" line="50"/>
        <source>还没有短信猫或短信网关账户</source>
        <translation>No modem or SMS gateway account yet</translation>
    </message>
    <message>
        <location filename="../../../ui/first_run.py" line="57"/>
        <source>可以先使用内置的【模拟】短信猫和【模拟】短信网关，试用全部功能：发送、发送记录、收件箱、账户和统计报表都会像真的一样工作，但不会发出任何真实短信。

以后随时可以在“设备与通道”中扫描添加真实的短信猫、添加网关账户，并停用或删除模拟设备。</source>
        <translation>You can start with the built-in [SIMULATED] modem and [SIMULATED] SMS gateway and try everything: sending, records, the inbox, the account and the reports all work as for real, but no real SMS is sent.

At any time you can add real modems and gateway accounts under “Devices”, and disable or remove the simulated devices.</translation>
    </message>
    <message>
        <location filename="../../../ui/first_run.py" line="63"/>
        <source>使用模拟设备</source>
        <translation>Use the simulated devices</translation>
    </message>
    <message>
        <location filename="../../../ui/first_run.py" line="66"/>
        <source>稍后自己设置</source>
        <translation>Set up later</translation>
    </message>
</context>
</TS>
