import ArgumentParser
import Foundation
import LecternBuild
import LecternDocument
import LecternRunner

@main
struct Lectern: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lectern",
        abstract: "Executable course notes: Markdown lectures with Swift cells, built to HTML and GFM Markdown.",
        discussion: """
        Lectures are Lectures/NN-slug.md files: CommonMark + GFM with ```swift cells,
        `{swift} expr` inline values and `{swift} expr ≈ 0.59` claims. With no
        arguments, lectern builds Lectures/ into Output/.
        """,
        subcommands: [Build.self, Check.self, Run.self, Watch.self],
        defaultSubcommand: Build.self
    )

    /// As ArgumentParser's, except that usage errors exit with 2 (its default
    /// is 64), the status every lectern command documents for them.
    static func main() {
        ProcessReaper.install()  // no process a lecture starts outlives lectern's interruption
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { printError(message) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Where the lectures are and how they run: `build`, `check` and `watch`.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Folder holding the lectures.")
    var lectures = "Lectures"

    @Flag(name: .long, help: "Run every lecture even when a cached result exists.")
    var noCache = false

    @Option(name: .customShort("j"), help: "Lectures compiled and run at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
}

/// `-P name=value`: `build`, `run` and `watch`.
struct ParamOptions: ParsableArguments {
    @Option(name: .customShort("P"), help: ArgumentHelp("Override a front-matter parameter, e.g. -P rho=1.1 (repeatable).", valueName: "name=value"))
    var params: [String] = []
}

/// The options of `build` and `watch`.
struct BuildArguments: ParsableArguments {
    @Option(name: .long, help: "Output folder.")
    var out = "Output"

    @OptionGroup var params: ParamOptions
    @OptionGroup var common: RunOptions

    @Flag(name: .long, help: "Say for each lecture why it ran or that it came from the cache.")
    var explain = false

    /// The build they ask for (`-j 0` is taken as 1).
    func buildOptions() throws -> BuildOptions {
        var options = BuildOptions()
        options.outputDirectory = out
        options.jobs = max(1, common.jobs)
        options.overrides = try ParamOverrides(params.params)
        options.useCache = !common.noCache
        options.progress = progressPrinter(explain: explain)
        return options
    }
}

/// Ends the process now, skipping the release of everything still held.
func finish(_ status: Int32) -> Never {
    fflush(nil)  // every output stream
    exit(status)
}

func printError(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Progress on stderr: a line per lecture (plain in CI or when not a terminal).
func progressPrinter(explain: Bool) -> @Sendable (LectureProgress) -> Void {
    let tty = isatty(2) != 0 && ProcessInfo.processInfo.environment["CI"] == nil
    return { p in
        let status = p.failed ? "FAILED" : (p.explanation == "from cache" ? "cached" : "ok")
        var line = "[\(p.done)/\(p.total)] \(p.path): \(status)"
        if p.seconds >= 0.05 { line += String(format: " (%.2f s)", p.seconds) }
        if explain { line += " — \(p.explanation)" }
        if tty && p.failed { line = "\u{1B}[31m" + line + "\u{1B}[0m" }
        printError(line)
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the lectures and render them into the output folder.",
        discussion: """
        Writes Output/index.html, Output/<slug>.html, Output/<slug>.md and the
        figures in Output/<slug>/. Every file is written atomically; pages of deleted
        lectures are removed. Exit status: 0 built, 1 a cell or lecture failed (every
        page is still written), 2 usage or internal error.
        """
    )

    @Argument(help: "Lecture files to build (default: every lecture in --lectures).")
    var paths: [String] = []

    @OptionGroup var build: BuildArguments

    func run() throws {
        do {
            let course = try Course.load(build.common.lectures)
            var options = try build.buildOptions()
            options.only = paths
            let builder = CourseBuilder(course: course, options: options)
            let report = try builder.build()
            for d in report.diagnostics { printError(d.description) }
            let summary = "built \(report.lecturesBuilt) lecture\(report.lecturesBuilt == 1 ? "" : "s") into \(build.out)/: "
                + "\(report.filesWritten.count) file\(report.filesWritten.count == 1 ? "" : "s") written, \(report.filesUnchanged) unchanged"
                + (report.failedCells > 0 ? "; \(report.failedCells) cell\(report.failedCells == 1 ? "" : "s") failed" : "")
            printError(summary)
            // Exit here, with the course still in memory: the system takes it back
            // faster than tearing down the object graph would (Swift may release
            // a value after its last use, hence the extended lifetime).
            withExtendedLifetime((course, builder)) { finish(report.failed ? 1 : 0) }
        } catch let e as ExitCode {
            throw e
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
    }
}
