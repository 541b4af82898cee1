import ArgumentParser
import Foundation
import LecternBuild
import LecternCheck
import LecternDocument
import LecternRender
import LecternResults
import LecternRunner

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one lecture and print what each cell computes.",
        discussion: """
        Prints each cell's output under its id and .md line: text, values, aligned
        tables; figures are written as SVG files and their paths printed. Inline
        values and claims follow, and failed checks are listed at the end.
        Nothing in Output/ changes. Colour is used on a terminal (set NO_COLOR to
        turn it off). Explorable params run at their default values (or at -P's:
        -P rho=1.1 fixes one); `lectern build` and `check` run every combination.

        Exit status: 0 all cells ran and every check held, 1 a cell or check
        failed, 2 usage or internal error.

        Examples:
          lectern run Lectures/05-clipping.md
          lectern run Lectures/02-bptt.md -P rho=1.2 -P L=50
        """
    )

    @Argument(help: "The lecture to run.")
    var file: String

    @OptionGroup var params: ParamOptions

    @Option(name: .long, help: ArgumentHelp("Folder for the figures' SVG files (default: .lectern-cache/figures/<slug>).", valueName: "dir"))
    var figures: String?

    @Flag(name: .long, help: "Run even when a cached result exists.")
    var noCache = false

    func run() throws {
        // The lecture is named as its course names it (relative to the course
        // root, which becomes the working folder: the cache is there), and
        // messages name it as it was typed.
        let location: CourseLocation
        do {
            location = try CourseLocation.find(paths: [file], requireLectures: false)
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        let figuresFolder = figures.map { location.argument($0) }
        let path = location.argument(file)
        do { try location.enter() } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: path), !CourseLocation.isDirectory(path) else {
            printError("lectern: error: cannot read \(file)")
            throw ExitCode(2)
        }
        let doc = Document.parse(path: path, bytes: Array(data))
        for d in doc.diagnostics { printError(location.display(d).description) }
        if doc.diagnostics.hasErrors { throw ExitCode(1) }
        let overrides: ParamOverrides
        do {
            overrides = try ParamOverrides(params.params)
            try overrides.requireDeclared(in: [doc], oneLecture: true)
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        let (values, problems) = overrides.apply(to: doc)
        if !problems.isEmpty {
            for p in problems { printError(location.display(p).description) }
            throw ExitCode(2)
        }
        var runner: LectureRunner
        do {
            let cache = CourseLocation.cacheDirectory
            runner = LectureRunner(toolchain: try Toolchain.locate(cacheDirectory: cache, prepareCompiles: true), cacheDirectory: cache)
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        runner.useCache = !noCache
        let tty = isatty(1) != 0
        if isatty(2) != 0 { printError("running \(file) …") }
        let outcome = runner.run(doc, params: values)
        for d in outcome.diagnostics where d.severity != .error { printError(location.display(d).description) }

        let folder = figuresFolder ?? "\(CourseLocation.cacheDirectory)/figures/\(doc.slug)"
        let colour = tty && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let text = TerminalRenderer(colour: colour).render(doc, run: outcome.run) { name, svg in
            let path = "\(folder)/\(name)"
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                return location.display(path)
            } catch {
                return "(not written: \(error.localizedDescription))"
            }
        }
        // The lecture's path as the course names it, in headers and messages, named from here.
        let shown = location.display(doc.path) == doc.path ? text
            : text.replacingOccurrences(of: doc.path + ":", with: location.display(doc.path) + ":")
                .replacingOccurrences(of: "\n" + doc.path + "\n", with: "\n" + location.display(doc.path) + "\n")
        print(shown, terminator: "")

        let (checks, _) = LectureChecks.collect(document: doc, run: outcome.run)
        var report = CheckReport(results: checks)
        for k in report.results.indices { report.results[k].file = location.display(report.results[k].file) }
        if report.failed > 0 {
            print("\nFailed checks:")
            for l in report.textLines() { print(l) }
        }
        print(report.summary + String(format: " (%.2f s%@)", outcome.seconds, outcome.fromCache ? ", cached" : ""))
        if report.failed > 0 { throw ExitCode(1) }
    }
}
