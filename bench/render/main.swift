// In-process parse and render of one long lecture: the given lectures one after
// another (front matter kept from the first only) until at least SIZE KB.
// Prints "phase<TAB>milliseconds" lines, best of REPS. Run through bench/render.sh.
import Foundation
import LecternDocument
import LecternRender

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
}

let args = CommandLine.arguments
guard args.count >= 4, let kb = Int(args[1]), let reps = Int(args[2]) else {
    FileHandle.standardError.write(Data("usage: lectern-bench-render SIZE-KB REPS LECTURE.md...\n".utf8))
    exit(2)
}
var text = ""
while text.utf8.count < kb * 1024 {
    for path in args[3...] where text.utf8.count < kb * 1024 {
        guard let lecture = try? String(contentsOfFile: path, encoding: .utf8) else { exit(2) }
        text += text.isEmpty ? lecture : lecture.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
        text += "\n\n"
    }
}
let bytes = Array(text.utf8)
var best = (parse: Double.infinity, render: Double.infinity, total: Double.infinity)
var sink = 0
let clock = ContinuousClock()
for _ in 0..<reps {
    let t0 = clock.now
    let doc = Document.parse(path: "Lectures/01-long.md", bytes: bytes)
    let t1 = clock.now
    let out = LectureRenderer.render(doc, courseTitle: "Bench", previous: nil, next: nil)
    let t2 = clock.now
    sink &+= out.files.reduce(0) { $0 + $1.bytes.count } + doc.blocks.count
    best.parse = min(best.parse, ms(t1 - t0))
    best.render = min(best.render, ms(t2 - t1))
    best.total = min(best.total, ms(t2 - t0))
}
print("bytes\t\(bytes.count)")
print("parse\t\(best.parse)")
print("render\t\(best.render)")
print("parse+render\t\(best.total)")
if sink == 42 { print("") }
