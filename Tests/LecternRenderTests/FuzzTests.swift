import Foundation
import Testing
@testable import LecternDocument
@testable import LecternRender
import LecternResults

/// Random lectures built from awkward pieces, through the parser and both
/// renderers: nothing may crash, no mask byte may reach an output, every
/// diagnostic points into the file, and every cell the author wrote either
/// becomes a cell or is refused with an error at its fence.
///
/// `LECTERN_FUZZ_TRIALS` sets the number of documents (CI keeps the default
/// small); `LECTERN_FUZZ_SEED` replays one seed.
@Suite struct FuzzTests {
    /// SplitMix64: small, seeded, the same sequence on every machine.
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// A piece of a lecture and what it must give.
    struct Piece {
        var bytes: [UInt8]
        /// A top-level cell that must parse (true), must be refused with an error at its fence (false), or not a cell (nil).
        var cell: Bool?
        init(_ s: String, cell: Bool? = nil) { bytes = Array(s.utf8); self.cell = cell }
        init(bytes: [UInt8]) { self.bytes = bytes; cell = nil }
    }

    static let pieces: [Piece] = [
        Piece("Plain prose with *emphasis* and `code` and $x^2$ and $$\\sum_i x_i$$.\n"),
        Piece("Dollars $5 and $10 stay text; \\$ escaped; $a$b$ and $x$$y$.\n"),
        Piece("Math \\(a + b\\) and \\[c\\] and a bracket \\[foo] escaped.\n"),
        Piece("$$\n\\begin{aligned} a &= b \\\\\n> c &= d \\end{aligned}\n$$\n"),
        Piece("Inline `{swift} 1 + 1` and a claim `{swift} 2.0 / 3 ≈ 0.67` and `` `{swift}` `` quoted.\n"),
        Piece("A broken span `{swift}` and `{swift} x ≈ words`.\n"),
        Piece("```swift\nlet v = 1\nprint(v)\n```\n", cell: true),
        Piece("```swift {#fig-a caption=\"A $x$ caption\" echo=false}\nprint(2)\n```\n```output\n2\n```\n", cell: true),
        Piece("```swift {eval=false unknown=3}\nlet w = 0\n```\n", cell: true),
        Piece("```swift {rtol=abc}\nlet w = 0\n```\n", cell: false),
        Piece("```swift #bad\nlet u = 0\n```\n", cell: false),
        Piece("~~~python\nprint('$x$')\n~~~\n"),
        Piece("| a | $b|c$ | `d|e` |\n|---|:---:|--:|\n| 1 | $x$ | 3 |\n"),
        Piece("> quote with $m$ and\n> ```\n> fenced $n$\n> ```\n"),
        Piece("- item `{swift} 3 * 3`\n  lazy $p$\n- [ ] task\n\n  ```\n  nested\n  ```\n"),
        Piece("<div>\n$html$ block\n</div>\n"),
        Piece("[link $x$](http://example.com/a) and <http://example.com/b> and ![img](x.png \"t\").\n"),
        Piece("Footnote[^1] and @fig-a and @tbl-none.\n\n[^1]: The note.\n"),
        Piece("# Heading `{swift} 4`\n\nSetext\n===\n"),
        Piece("Tab\there and CRLF\r\nline\r\n"),
        Piece(bytes: Array("Bad UTF-8 here: ".utf8) + [0xC3, 0x28, 0xFF, 0x0A]),
        Piece("`unclosed backticks and $unclosed math\n"),
        Piece("***\n\n---\n"),
    ]

    static let frontMatters = ["", "---\ntitle: Fuzz\nparams:\n  n: 3\n---\n\n", "---\ntitle: [unclosed\n---\n\n",
                               "---\nbogus: 1\n---\n\n"]

    static var trials: Int { Int(ProcessInfo.processInfo.environment["LECTERN_FUZZ_TRIALS"] ?? "") ?? 400 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["LECTERN_FUZZ_SEED"] ?? "") ?? 0x1EC7E2 }

    @Test func randomLecturesNeverBreakTheParserOrTheRenderers() {
        var rng = RNG(state: FuzzTests.seed)
        for trial in 0..<FuzzTests.trials {
            var bytes = Array(FuzzTests.frontMatters[rng.below(FuzzTests.frontMatters.count)].utf8)
            var expected: [(line: Int, ok: Bool)] = []
            for _ in 0..<(1 + rng.below(8)) {
                let p = FuzzTests.pieces[rng.below(FuzzTests.pieces.count)]
                let line = bytes.filter { $0 == 0x0A }.count + 1
                if let ok = p.cell { expected.append((line, ok)) }
                bytes += p.bytes + [0x0A]
            }
            let doc = Document.parse(path: "Lectures/01-fuzz.md", bytes: bytes)
            let context = "trial \(trial) (seed \(FuzzTests.seed)):\n" + String(decoding: bytes, as: UTF8.self)

            for d in doc.diagnostics {
                #expect(d.line >= 0 && d.line <= doc.source.lineCount + 1, "\(d) \(context)")
            }
            // Cells sit at top level between blank lines, so each expected one is found, or refused at its fence.
            for e in expected {
                if e.ok {
                    #expect(doc.cells.contains { $0.fenceLine == e.line }, "no cell at line \(e.line): \(context)")
                } else {
                    #expect(doc.diagnostics.contains { $0.severity == .error && $0.line == e.line },
                            "refused cell at line \(e.line) has no error: \(context)")
                }
            }
            let rendered = LectureRenderer.render(doc, courseTitle: "C", previous: nil, next: nil)
            for file in rendered.files where file.path.hasSuffix(".html") || file.path.hasSuffix(".md") {
                #expect(!file.bytes.contains(0x01) && !file.bytes.contains(0x02), "mask byte in \(file.path): \(context)")
            }
            // A run with every cell and span done renders too.
            var run = LectureRun.notRun(doc)
            for c in doc.cells where c.options.eval { run.cells[c.index] = CellResult(status: .ok, outputs: [.text("out\u{1B}\n")]) }
            for i in run.inlines.indices { run.inlines[i] = .value("<v>") }
            let html = LectureRenderer.render(doc, run: run, courseTitle: "C", previous: nil, next: nil)
            #expect(html.files.count >= 2)
        }
    }
}
