import Foundation
import Testing
@testable import LecternRunner

/// The kit's identity in the cache keys: its linker's build ID, else SHA-256.
@Suite struct KitIdentityTests {
    @Test func theBuildIDIsTheOneReadelfReports() throws {
        guard let toolchain = try? Toolchain.locate(),
              let readelf = ["/usr/bin/readelf", "/bin/readelf"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return }
        let library = toolchain.kitDirectory + "/libLecternKit.so"
        let r = try ChildProcess.run(readelf, ["-n", library], timeout: 30)
        let text = String(decoding: r.stdout, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Build ID:") }) else { return }
        let expected = line.split(separator: " ").last.map(String.init)
        let data = try Data(contentsOf: URL(fileURLWithPath: library))
        #expect(KitLibrary.buildID(in: data) == expected)
        #expect(KitLibrary.identity(of: data) == "buildid:" + (expected ?? ""))
    }

    @Test func withoutABuildIDTheBytesAreHashed() {
        // FIPS 180-2's example: SHA-256("abc").
        #expect(KitLibrary.identity(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var elf = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1] + [UInt8](repeating: 0, count: 100))
        #expect(KitLibrary.buildID(in: elf) == nil)
        elf[0x20] = 0xFF  // program headers past the end
        elf[0x36] = 56; elf[0x38] = 1
        #expect(KitLibrary.buildID(in: elf) == nil)
    }
}
