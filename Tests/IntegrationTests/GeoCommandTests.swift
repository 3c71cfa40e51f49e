import Foundation
import Testing

@Suite struct GeoCommandTests {
    @Test func describesACellAndRefusesANonCell() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let info = try DepinBinary.ok(["geo", "info", "8108bffffffffff"], in: directory)
        #expect(info.contains("base cell: 4"))
        #expect(info.contains("parent: 8009fffffffffff"))
        #expect(info.contains("boundary: "))
        #expect(info.contains("area: "))
        let json = try DepinBinary.ok(["geo", "info", "89283082803ffff", "--json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["boundary"] as? [[Double]])?.count == 6)
        // The reference library's cellArea for this cell.
        #expect(abs((object["area_m2"] as? Double ?? 0) - 109402.47351445461) < 1e-3)
        let bad = try DepinBinary.run(["geo", "info", "81087ffffffffff"], in: directory)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("invalid_cell"))
        #expect(try DepinBinary.ok(["geo", "distance", "0", "0", "0", "1"], in: directory).hasPrefix("111.195"))
        #expect(try DepinBinary.ok(["geo", "cell", "37.7749", "-122.4194", "--res", "9"], in: directory) == "89283082803ffff\n")
        #expect(try DepinBinary.run(["geo", "cell", "95", "0"], in: directory).status != 0)
    }

    @Test func readsPointsFromStandardInput() throws {
        let (status, text) = try Self.pipe(
            "printf '37.7749,-122.4194\\n-33.8688, 151.2093\\n' | '\(DepinBinary.path)' geo cell --res 9")
        #expect(status == 0)
        #expect(text == "89283082803ffff\n89be0e35cbbffff\n")
    }

    /// Windows line ends, blank lines and a last line without a newline are fine; a bad line stops
    /// the stream with its line number and a non-zero exit, after the cells before it.
    @Test func streamsToleratelyAndNamesABadLine() throws {
        let good = try Self.pipe("printf '37.7749,-122.4194\\r\\n\\n -33.8688 , 151.2093' | '\(DepinBinary.path)' geo cell --res 9")
        #expect(good.status == 0)
        #expect(good.stdout == "89283082803ffff\n89be0e35cbbffff\n")
        let bad = try Self.pipe("printf '37.7749,-122.4194\\n91,0\\n' | '\(DepinBinary.path)' geo cell --res 9 2>&1")
        #expect(bad.status != 0)
        #expect(bad.stdout.hasPrefix("89283082803ffff\n"))
        #expect(bad.stdout.contains("line 2"))
    }

    static func pipe(_ command: String) throws -> (status: Int32, stdout: String) {
        let shell = try DepinBinary.capture("/bin/sh", ["-c", command], in: FileManager.default.temporaryDirectory.path)
        return (shell.status, shell.stdout)
    }
}
