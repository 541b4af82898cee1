import Foundation
import Testing
@testable import LecternRunner
import LecternDocument

/// The run cache's key and `--explain`, from one list of inputs.
@Suite struct CacheKeyTests {
    let toolchain = Toolchain(swiftc: "/usr/bin/swiftc", kitDirectory: "/kit", modulesDirectory: "/kit/Modules",
                              compilerVersion: "Swift version 6.3.1", kitHash: "0123abcd", includeDirectories: [])

    func inputs(_ text: String, params: [Param] = [], timeout: Double = 60) -> RunInputs {
        let doc = lecture(text)
        let program = Generator.program(for: doc, params: params)
        return RunInputs(doc, program: program, params: params, toolchain: toolchain, timeout: timeout)
    }

    static let base = "# T\n\nIntro.\n\n```swift\nlet a = 1\nprint(a)\n```\n\nThe value is `{swift} a`.\n\n```swift {eval=false}\nlet unused = 2\n```\n"

    @Test func proseEditsKeepTheKey() {
        let moved = CacheKeyTests.base.replacingOccurrences(of: "Intro.", with: "A longer intro.\n\nWith a second paragraph.")
        #expect(inputs(CacheKeyTests.base).key == inputs(moved).key)
    }

    @Test func anEvalFalseCellIsNotPartOfTheProgram() {
        let edited = CacheKeyTests.base.replacingOccurrences(of: "let unused = 2", with: "let unused = 3")
        #expect(inputs(CacheKeyTests.base).key == inputs(edited).key)
    }

    @Test func cellEditsChangeTheKeyAndAreNamed() {
        let edited = CacheKeyTests.base.replacingOccurrences(of: "let a = 1", with: "let a = 2")
        let (before, after) = (inputs(CacheKeyTests.base), inputs(edited))
        #expect(before.key != after.key)
        #expect(before.parts.filter { p in after.parts.first { $0.name == p.name }!.text != p.text }.map(\.name) == ["cells"])
    }

    @Test func paramsTimeoutAndCompilerChangeTheKey() {
        let base = inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .double(0.9), line: 3)])
        #expect(base.key != inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .double(1.1), line: 3)]).key)
        #expect(base.key != inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .double(0.9), line: 3)],
                                   timeout: 5).key)
        let doc = lecture(CacheKeyTests.base)
        let program = Generator.program(for: doc, params: [])
        var compiler = toolchain, kernel = toolchain
        compiler.compilerVersion = "Swift version 6.4"
        kernel.numericKernel = kernel.numericKernel == "Prescott" ? "Haswell" : "Prescott"
        let key = RunInputs(doc, program: program, params: [], toolchain: toolchain, timeout: 60).key
        #expect(key != RunInputs(doc, program: program, params: [], toolchain: compiler, timeout: 60).key)
        #expect(key != RunInputs(doc, program: program, params: [], toolchain: kernel, timeout: 60).key)
    }

    @Test func paramValuesChangeTheRunKeyNotTheProgramKey() {
        let a = inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .double(0.9), line: 3)])
        let b = inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .double(1.1), line: 3)])
        #expect(a.programKey == b.programKey)
        #expect(a.key != b.key)
        // A param's type is part of the program.
        let c = inputs(CacheKeyTests.base, params: [Param(name: "rho", value: .int(1), line: 3)])
        #expect(a.programKey != c.programKey)
        #expect(a.parts.filter { p in b.parts.first { $0.name == p.name }!.text != p.text }.map(\.name) == ["params"])
    }

    @Test func explainNamesWhatChangedSinceTheLastRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-cachekey-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = RunCache(directory: dir)
        let before = inputs(CacheKeyTests.base)
        #expect(cache.explain(before, slug: "test") == "ran: no cached result")
        cache.remember(before, slug: "test")
        let edited = inputs(CacheKeyTests.base.replacingOccurrences(of: "`{swift} a`", with: "`{swift} a + 1`"),
                            timeout: 5)
        #expect(cache.explain(edited, slug: "test") == "ran: inline expressions, timeout changed")
        #expect(cache.explain(before, slug: "test") == "ran: no cached result for this program")
    }

    @Test func aStoredRunReadsBackAsItWas() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-cachekey-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = RunCache(directory: dir)
        var raw = RawRun(timeout: 60, lines: [4, 10])
        raw.stdout = Data([0, 1, 2, 0xFF, 0x0A])
        raw.records = [.cellStart(.init(index: 0, out: 0))]
        raw.programRan = true
        cache.store(raw, key: "k")
        #expect(cache.load("k") == raw)
        #expect(cache.load("missing") == nil)
    }
}
