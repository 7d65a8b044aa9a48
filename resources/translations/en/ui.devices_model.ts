<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DevicesModel</name>
    <message>
        <location filename="../../../ui/devices_model.py" line="87"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="88"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="89"/>
        <source>端口 / 地址</source>
        <translation>Port / address</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="90"/>
        <source>型号</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="91"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="92"/>
        <source>运营商</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="93"/>
        <source>信号</source>
        <translation>Signal</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="94"/>
        <source>SIM 卡</source>
        <translation>SIM</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="95"/>
        <source>今日已发 / 上限</source>
        <translation>Sent today / cap</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="96"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="97"/>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="187"/>
        <source>短信猫</source>
        <translation>Modem</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="189"/>
        <source>网关：%1</source>
        <translation>Gateway: %1</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="191"/>
        <source>短信网关</source>
        <translation>SMS gateway</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="192"/>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="196"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="198"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="199"/>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="200"/>
        <source>按速率等待</source>
        <translation>Pacing</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="201"/>
        <source>已达上限</source>
        <translation>Cap reached</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="202"/>
        <source>暂停使用（连续失败）</source>
        <translation>Resting (failures)</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="203"/>
        <source>未运行</source>
        <translation>Not running</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="210"/>
        <source>无法连接</source>
        <translation>Unreachable</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="212"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="234"/>
        <source>不限</source>
        <translation>No cap</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="242"/>
        <source>信号强度 %1 / 5</source>
        <translation>Signal %1 / 5</translation>
    </message>
    <message>
        <location filename="../../../ui/devices_model.py" line="250"/>
        <source>内置的模拟设备：不会发出真实短信</source>
        <translation>Built-in simulated device: no real SMS leaves it</translation>
    </message>
</context>
</TS>
