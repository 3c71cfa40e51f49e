import Foundation
import Testing

@Suite struct GeoCommandTests {
    @Test func describesACellAndRefusesANonCell() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let info = try DepinBinary.ok(["geo", "info", "8108bffffffffff"], in: directory)
        #expect(info.contains("base cell: 4"))
        #expect(info.contains("parent: 8009fffffffffff"))
        let bad = try DepinBinary.run(["geo", "info", "81087ffffffffff"], in: directory)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("invalid_cell"))
        #expect(try DepinBinary.ok(["geo", "distance", "0", "0", "0", "1"], in: directory).hasPrefix("111.195"))
        #expect(try DepinBinary.ok(["geo", "cell", "37.7749", "-122.4194", "--res", "9"], in: directory) == "89283082803ffff\n")
        #expect(try DepinBinary.run(["geo", "cell", "95", "0"], in: directory).status != 0)
    }

    @Test func readsPointsFromStandardInput() throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf '37.7749,-122.4194\\n-33.8688, 151.2093\\n' | '\(DepinBinary.path)' geo cell --res 9"]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(text == "89283082803ffff\n89be0e35cbbffff\n")
    }
}
