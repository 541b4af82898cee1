import ArgumentParser
import Foundation
import LecternBuild
import LecternCheck

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every expect, output block and claim, and that Output/ is up to date.",
        discussion: """
        Runs the lectures (cached results are used when the cells are unchanged)
        and checks:
          - every expect(...) call;
          - every ```output block against what its cell printed: numbers within
            rtol/atol (default 1e-9 and 1e-12; front matter or the cell's
            rtol=/atol= override them), other text exactly, trailing white
            space ignored, tables cell by cell;
          - every claim `{swift} expr ≈ 0.59`, to the digits written;
          - that the committed Output/ is what the sources build now (PDFs,
            which differ between machines, are left out).
        In a lecture with explorable params, every expect and worked-example check
        must hold, and every cell must run, at every combination of their values;
        a failure names it ("(with rho=1.5, steps=30)"). Output blocks and claims
        are checked at the default values.
        Failures print in compiler form (file:line:col: error: ...). The last line
        is the summary "N passed, N failed".

        --update rewrites the output blocks that disagree with what their cells
        print, in place, touching no other byte; claims are never rewritten.

        Exit status: 0 everything holds, 1 something failed, 2 usage or internal error.

        Examples:
          lectern check
          lectern check Lectures/03-eigenvalues.md --update
          lectern check --format github --junit check.xml
          lectern check --shard 1/3        # one job of a CI matrix of three

        Paths may be lecture files or folders anywhere, as for build. With --shard
        I/N, only the I-th share of the lectures is checked, with its pages in
        Output/; shard 1 also checks the index, the assets and course.yml.
        """
    )

    @Argument(help: "Lecture files or folders of lectures to check (default: every lecture).")
    var paths: [String] = []

    @Flag(name: .long, help: "Rewrite disagreeing output blocks with the actual output.")
    var update = false

    @Option(name: .long, help: "Report form: text (compiler-form diagnostics) or github (also ::error annotations).")
    var format: CheckFormat = .text

    @Option(name: .long, help: ArgumentHelp("Also write a JUnit XML report to this file.", valueName: "file"))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp("The built course to compare with the sources (default: course.yml's output:, else Output).", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Do not compare Output/ with the sources.")
    var noOutput = false

    @OptionGroup var common: RunOptions
    @OptionGroup var shard: ShardOption

    func validate() throws {
        guard common.jobs >= 1 else { throw ValidationError("-j must be at least 1") }
    }

    func run() throws {
        let outcome: CourseChecker.Findings
        let (location, course, only) = try enterCourse(paths: paths, lectures: common.lectures, output: out)
        let out = location.display(location.outputDirectory)
        do {
            var options = CourseChecker.Options()
            options.outputDirectory = location.outputDirectory
            options.only = only
            options.shard = shard.value
            options.jobs = common.jobs
            options.useCache = !common.noCache
            options.checkOutput = !noOutput
            options.progress = progressPrinter(explain: false, location: location)
            outcome = try CourseChecker(course: course, options: options).check()
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        for w in outcome.warnings { printError(location.display(w).description) }
        var report = outcome.report
        var updateFailed = false
        if update {
            // Rewritten blocks no longer count as failures; a file that could not be written still does.
            for result in CourseChecker.applyUpdates(outcome.updates) {
                if let error = result.error {
                    printError(error)
                    updateFailed = true
                } else if result.blocks > 0 {
                    printError("\(location.display(result.path)): rewrote \(result.blocks) output block\(result.blocks == 1 ? "" : "s")")
                    for k in report.results.indices where report.results[k].kind == .output
                        && report.results[k].file == result.path && !report.results[k].passed
                        && !report.results[k].message.contains("not checked") {
                        report.results[k].passed = true
                    }
                }
            }
            if !outcome.updates.isEmpty && !updateFailed {
                printError("note: run `lectern build` to bring \(out)/ up to date with the rewritten sources")
            }
        }
        // Named from the folder the command ran in, for editors and CI annotations.
        for k in report.results.indices { report.results[k].file = location.display(report.results[k].file) }
        let lines = format == .github ? report.githubOutput(token: UUID().uuidString) : report.textLines()
        for l in lines { print(l) }
        if let junit {
            do {
                try Data(report.junitXML().utf8).write(to: URL(fileURLWithPath: location.argument(junit)), options: .atomic)
            } catch {
                printError("lectern: error: cannot write \(junit): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        print(report.summary)
        if report.failed > 0 || updateFailed { throw ExitCode(1) }
    }
}

extension CheckFormat: ExpressibleByArgument {}
