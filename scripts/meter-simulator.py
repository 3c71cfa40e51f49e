#!/usr/bin/env python3
"""A solar energy meter on Modbus TCP, for the meter tests: pymodbus serves the SunSpec-style
register map docs/telemetry.md describes, and its readings move as a meter's do (about 3 kW
exported, the export counter rising with it).

    meter-simulator.py PORT SERIAL [--frozen]

--frozen keeps the power and voltage exactly still (a stuck meter, for the frozen check).
"""
import asyncio
import sys

from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.server import StartAsyncTcpServer

BASE = 40000


def registers(serial, power_w, voltage_dv, exported_wh, imported_wh):
    marker = [0x5375, 0x6E53]
    name = serial.encode("ascii")[:32].ljust(32, b"\0")
    common = [1, 16] + [name[i] << 8 | name[i + 1] for i in range(0, 32, 2)]
    meter = [203, 12, power_w & 0xFFFF, 0, voltage_dv, 0xFFFF,
             exported_wh >> 16, exported_wh & 0xFFFF, imported_wh >> 16, imported_wh & 0xFFFF, 0, 0, 0, 0]
    return marker + common + meter + [0xFFFF]


async def main():
    port, serial = int(sys.argv[1]), sys.argv[2]
    frozen = "--frozen" in sys.argv
    block = ModbusSequentialDataBlock(BASE + 1, registers(serial, -3000, 2400, 1_000_000, 500_000))
    # pymodbus looks a request for register N up at N + 1 in its blocks.
    context = ModbusServerContext(devices=ModbusDeviceContext(hr=block), single=True)
    exported = 1_000_000.0
    tick = 0

    async def drift():
        nonlocal exported, tick
        while True:
            await asyncio.sleep(0.5)
            tick += 1
            power = -3000 if frozen else -3000 + (tick % 7) * 11
            voltage = 2400 if frozen else 2395 + tick % 9
            exported += -power * 0.5 / 3600
            block.setValues(BASE + 1, registers(serial, power, voltage, int(exported), 500_000))

    asyncio.get_running_loop().create_task(drift())
    await StartAsyncTcpServer(context=context, address=("127.0.0.1", port))


asyncio.run(main())
