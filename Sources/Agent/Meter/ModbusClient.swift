/// A Modbus TCP client for one meter: "read holding registers" (function 3) framed with the
/// MBAP header (transaction id, protocol 0, length, unit id), and the server's exception codes.
public struct ModbusClient {
    let link: TCPLink
    let unit: UInt8
    var transaction: UInt16 = 0

    /// A client of unit `unit` over `link`.
    public init(link: TCPLink, unit: UInt8 = 1) {
        self.link = link
        self.unit = unit
    }

    /// `count` holding registers from `address` (1 to 125).
    public mutating func readHoldingRegisters(at address: UInt16, count: UInt16) throws -> [UInt16] {
        guard (1...125).contains(count) else { throw DeviceLinkError("Modbus reads 1 to 125 registers at a time") }
        transaction &+= 1
        let request: [UInt8] = [
            UInt8(transaction >> 8), UInt8(transaction & 0xFF), 0, 0, 0, 6, unit, 0x03,
            UInt8(address >> 8), UInt8(address & 0xFF), UInt8(count >> 8), UInt8(count & 0xFF),
        ]
        try link.write(request)
        let header = try link.read(exactly: 7)
        let length = Int(header[4]) << 8 | Int(header[5])
        guard header[0] == request[0], header[1] == request[1], header[2] == 0, header[3] == 0, (2...253).contains(length) else {
            throw DeviceLinkError("the meter's answer has a bad Modbus header")
        }
        let body = try link.read(exactly: length - 1)
        if body[0] == 0x83 {
            throw DeviceLinkError("the meter refused the read: Modbus exception \(body.count > 1 ? body[1] : 0)")
        }
        guard body[0] == 0x03, body.count >= 2, Int(body[1]) == Int(count) * 2, body.count == 2 + Int(count) * 2 else {
            throw DeviceLinkError("the meter's answer is not \(count) registers")
        }
        return stride(from: 2, to: body.count, by: 2).map { UInt16(body[$0]) << 8 | UInt16(body[$0 + 1]) }
    }
}
