import ArgumentParser
import Foundation
import LecternBuild
import LecternDocument
import LecternRecords
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

        The course root is the nearest folder upward holding course.yml (else the
        current folder); lecture paths may be given from any folder.
        `lectern --version` prints the tool's, the kit's and the compiler's versions.
        """,
        version: "lectern \(LecternVersion.current)",
        subcommands: [Build.self, Check.self, Run.self, Watch.self, New.self],
        defaultSubcommand: Build.self
    )

    /// As ArgumentParser's, except that usage errors exit with 2 (its default
    /// is 64), the status every lectern command documents for them, and that
    /// `--version` also names the kit and the compiler.
    static func main() {
        ProcessReaper.install()  // no process a lecture starts outlives lectern's interruption
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            let report = Toolchain.versionReport()
            for line in report.lines { print(line) }
            Foundation.exit(report.found ? 0 : 1)
        }
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
    @Option(name: .long, help: ArgumentHelp("Folder holding the lectures (default: course.yml's lectures:, else Lectures).", valueName: "dir"))
    var lectures: String?

    @Flag(name: .long, help: "Run every lecture even when a cached result exists.")
    var noCache = false

    @Option(name: .customShort("j"), help: "Lectures compiled and run at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
}

/// `-P name=value`: `build`, `run` and `watch`.
struct ParamOptions: ParsableArguments {
    @Option(name: .customShort("P"), help: ArgumentHelp("Override a front-matter parameter, e.g. -P rho=1.1 (repeatable). An explorable parameter set this way is fixed at that value: the lecture runs with it alone and the page has no control for it. No recompile: the program reads its parameters when it runs.", valueName: "name=value"))
    var params: [String] = []
}

/// The options of `build` and `watch`.
struct BuildArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output folder (default: course.yml's output:, else Output).", valueName: "dir"))
    var out: String?

    @OptionGroup var params: ParamOptions
    @OptionGroup var common: RunOptions

    @Flag(name: .long, help: "Say for each lecture why it ran or that it came from the cache.")
    var explain = false

    /// The build they ask for (`-j 0` is taken as 1), in the course found.
    func buildOptions(_ location: CourseLocation) throws -> BuildOptions {
        var options = BuildOptions()
        options.outputDirectory = location.outputDirectory
        options.jobs = max(1, common.jobs)
        options.overrides = try ParamOverrides(params.params)
        options.useCache = !common.noCache
        options.progress = progressPrinter(explain: explain, location: location)
        return options
    }
}

/// `--shard I/N`: `build` and `check`.
struct ShardOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Take the I-th of N shares of the lectures, for a CI matrix of N jobs (1 ≤ I ≤ N).",
                                            valueName: "I/N"))
    var shard: String?

    func validate() throws {
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard takes I/N with whole numbers 1 ≤ I ≤ N, e.g. --shard 2/3; got '\(shard)'")
        }
    }

    var value: Shard? { shard.flatMap(Shard.init) }
}

/// Finds the course of the paths (or of the current folder), makes its root
/// the working folder and loads it; path problems and usage errors exit 2.
func enterCourse(paths: [String], lectures: String?, output: String?) throws -> (CourseLocation, Course, [String]) {
    do {
        let location = try CourseLocation.find(paths: paths, lectures: lectures, output: output)
        try location.enter()
        let course = try Course.load(location.lecturesDirectory, config: location.config)
        return (location, course, try location.lectures(paths, of: course))
    } catch let problems as CourseLocation.PathProblems {
        for d in problems.diagnostics { printError(d.description) }
        throw ExitCode(2)
    } catch {
        printError("lectern: error: \(error)")
        throw ExitCode(2)
    }
}

/// Ends the process now, skipping the release of everything still held.
func finish(_ status: Int32) -> Never {
    fflush(nil)  // every output stream
    exit(status)
}

func printError(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Progress on stderr: a line per lecture (plain in CI or when not a terminal).
func progressPrinter(explain: Bool, location: CourseLocation) -> @Sendable (LectureProgress) -> Void {
    let tty = isatty(2) != 0 && ProcessInfo.processInfo.environment["CI"] == nil
    return { p in
        let status = p.failed ? "FAILED" : (p.cached ? "cached" : "ok")
        var line = "[\(p.done)/\(p.total)] \(location.display(p.path)): \(status)"
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
        figures in Output/<slug>/; with --pdf (or pdf: true in course.yml) also
        Output/<slug>.pdf and, when every lecture is built, Output/course.pdf.
        Every file is written atomically; pages of deleted lectures are removed.
        Lectures whose sources, params and tool are as the last build left them
        are skipped (--explain says so); --no-cache runs everything again.
        Exit status: 0 built, 1 a cell or lecture failed (every page is still
        written), 2 usage or internal error.

        A lecture with explorable params (rho: {value: 0.9, values: [0.5, 0.9, 1.1]}
        in its front matter) is compiled once and run at every combination of their
        values, -j at a time; its page gets controls that switch every output that
        differs, and the URL fragment (#rho=1.1) picks a combination. -P rho=1.1 fixes
        an explorable param at that value (no control, one value).

        Paths may be lecture files or folders (a folder means its NN-*.md lectures)
        anywhere; the course is the one whose root (the nearest folder upward
        holding course.yml, else the current folder) holds them, and the cache
        and the output are in that root.

        Examples:
          lectern build
          lectern build Lectures/
          lectern build ../course/Lectures/02-bptt.md --explain
          lectern build --shard 2/3
        """
    )

    @Argument(help: "Lecture files or folders of lectures to build (default: every lecture).")
    var paths: [String] = []

    @OptionGroup var build: BuildArguments
    @OptionGroup var shard: ShardOption

    @Flag(name: .long, help: "Also print Output/<slug>.pdf per lecture and Output/course.pdf with headless Chromium (as pdf: true in course.yml).")
    var pdf = false

    @Option(name: .long, help: ArgumentHelp("Paper of the PDFs: a4 or letter (default: course.yml's paper:, else a4).", valueName: "size"))
    var paper: String?

    func validate() throws {
        if let paper, Paper(rawValue: paper.lowercased()) == nil {
            throw ValidationError("--paper takes a4 or letter; got '\(paper)'")
        }
    }

    func run() throws {
        let (location, course, only) = try enterCourse(paths: paths, lectures: build.common.lectures, output: build.out)
        do {
            var options = try build.buildOptions(location)
            options.only = only
            options.shard = shard.value
            options.reuseUnchangedLectures = true
            if pdf || course.pdf != nil {
                options.pdf = paper.flatMap { Paper(rawValue: $0.lowercased()) } ?? course.pdf ?? .a4
            }
            let builder = CourseBuilder(course: course, options: options)
            let report = try builder.build()
            for d in report.diagnostics { printError(location.display(d).description) }
            let share = shard.value.map { " (shard \($0))" } ?? ""
            let summary = "built \(report.lecturesBuilt) lecture\(report.lecturesBuilt == 1 ? "" : "s")\(share) into \(location.display(location.outputDirectory))/: "
                + "\(report.filesWritten.count) file\(report.filesWritten.count == 1 ? "" : "s") written, \(report.filesUnchanged) unchanged"
                + (report.failedCells > 0 ? "; \(report.failedCells) cell\(report.failedCells == 1 ? "" : "s") failed" : "")
            printError(summary)
            if !report.searchIndexSizes.isEmpty {
                func kb(_ n: Int) -> String { n < 10_240 ? String(format: "%.1f KB", Double(n) / 1024) : "\(n / 1024) KB" }
                printError("search index: \(kb(report.searchIndexTotal)) for the course ("
                           + report.searchIndexSizes.map { "\($0.slug) \(kb($0.bytes))" }.joined(separator: ", ") + ")")
            }
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
