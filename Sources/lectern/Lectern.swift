import ArgumentParser
import Foundation
import LecternBuild
import LecternDocument

@main
struct Lectern: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lectern",
        abstract: "Executable course notes: Markdown lectures with Swift cells, built to HTML and GFM Markdown.",
        discussion: """
        Lectures are Lectures/NN-slug.md files. With no arguments, lectern builds
        Lectures/ into Output/.
        """,
        subcommands: [Build.self],
        defaultSubcommand: Build.self
    )
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the lectures and render them into the output folder.",
        discussion: "Exit status: 0 built, 1 a lecture had an error, 2 usage or internal error."
    )

    @Argument(help: "Lecture files to build (default: every lecture in --lectures).")
    var paths: [String] = []

    @Option(name: .long, help: "Folder holding the lectures.")
    var lectures = "Lectures"

    @Option(name: .long, help: "Output folder.")
    var out = "Output"

    func run() throws {
        do {
            let course = try Course.load(lectures)
            var options = BuildOptions()
            options.outputDirectory = out
            options.only = paths
            let report = try CourseBuilder(course: course, options: options).build()
            for d in report.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
            let summary = "built \(report.lecturesBuilt) lecture\(report.lecturesBuilt == 1 ? "" : "s") into \(out)/: "
                + "\(report.filesWritten.count) file\(report.filesWritten.count == 1 ? "" : "s") written, \(report.filesUnchanged) unchanged"
            FileHandle.standardError.write(Data((summary + "\n").utf8))
            if report.failed { throw ExitCode(1) }
        } catch let e as BuildError {
            FileHandle.standardError.write(Data(("lectern: error: \(e)\n").utf8))
            throw ExitCode(2)
        }
    }
}
