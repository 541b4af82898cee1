// In-process timing of parse and render for one lecture file, phase by phase;
// prints "phase<TAB>milliseconds" lines (best of N). Run through bench/render.sh.
import Foundation
import LecternDocument
import LecternRender

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
}

let args = CommandLine.arguments
guard args.count >= 2, let data = FileManager.default.contents(atPath: args[1]) else {
    FileHandle.standardError.write(Data("usage: lectern-bench-render FILE.md [REPS]\n".utf8))
    exit(2)
}
let reps = args.count >= 3 ? Int(args[2]) ?? 5 : 5
let bytes = Array(data)
var best = (parse: Double.infinity, render: Double.infinity, total: Double.infinity)
var sink = 0
let clock = ContinuousClock()
for _ in 0..<reps {
    let t0 = clock.now
    let doc = Document.parse(path: args[1], bytes: bytes)
    let t1 = clock.now
    let out = LectureRenderer.render(doc, courseTitle: "Bench", previous: nil, next: nil)
    let t2 = clock.now
    sink &+= out.files.reduce(0) { $0 + $1.bytes.count } + doc.blocks.count
    best.parse = min(best.parse, ms(t1 - t0))
    best.render = min(best.render, ms(t2 - t1))
    best.total = min(best.total, ms(t2 - t0))
}
print("parse\t\(best.parse)")
print("render\t\(best.render)")
print("parse+render\t\(best.total)")
if sink == 42 { print("") }
