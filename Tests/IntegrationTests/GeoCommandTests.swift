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
    }
}
