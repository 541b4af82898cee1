import ArgumentParser
import Foundation
import LecternBuild
import LecternRunner

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a course in a new folder, ready to build and check.",
        discussion: """
        Writes course.yml (every setting, documented), Lectures/01-introduction.md
        (a first lecture: a parameter, a cell with show and expect, an output block,
        a figure with a caption and a cross-reference, an inline value and a claim),
        .gitignore (the cache), a README with the commands a student runs, and
        .github/workflows/lectern.yml (lectern check on every push and pull
        request, one job or a matrix of shards, optionally publishing Output/ to
        GitHub Pages). Then builds Output/, so that `lectern check` passes at once.

        The folder must not exist or be empty: anything else is refused and
        nothing is written. Exit status: 0 created and built, 1 the build failed,
        2 refused or usage error.

        Example:
          lectern new linear-algebra --title "Linear algebra for machine learning"
        """
    )

    @Argument(help: "The folder to create (it must not exist, or be empty).")
    var directory: String

    @Option(name: .long, help: "The course's title (default: from the folder's name).")
    var title: String?

    @Flag(name: .long, help: "Only write the files; do not build Output/.")
    var noBuild = false

    func run() throws {
        let title = self.title ?? CourseScaffold.title(forFolder: directory)
        let toolchain = try? Toolchain.locate()
        let recorded = toolchain.flatMap { CourseScaffold.ToolSource.read(kitDirectory: $0.kitDirectory) }
        do {
            try CourseScaffold.write(to: directory, title: title, tool: recorded ?? .placeholder)
        } catch {
            printError("lectern: error: \(error)")
            throw ExitCode(2)
        }
        print("created \(directory)/: course.yml, \(CourseScaffold.firstLecture), .gitignore, README.md, \(CourseScaffold.workflow)")
        if recorded == nil {
            printError("note: set LECTERN_REPOSITORY and LECTERN_REF in \(directory)/\(CourseScaffold.workflow) "
                       + "to the git repository and version of Lectern that CI should install")
        }
        guard !noBuild else { return }
        let (location, course, _) = try enterCourse(paths: [directory], lectures: nil, output: nil)
        do {
            var options = BuildOptions()
            options.outputDirectory = location.outputDirectory
            options.progress = progressPrinter(explain: false, location: location)
            let report = try CourseBuilder(course: course, options: options).build()
            for d in report.diagnostics { printError(location.display(d).description) }
            printError("built \(report.lecturesBuilt) lecture\(report.lecturesBuilt == 1 ? "" : "s") into "
                       + "\(location.display(location.outputDirectory))/; next: cd \(directory) && lectern check")
            if report.failed { throw ExitCode(1) }
        } catch let e as ExitCode {
            throw e
        } catch {
            printError("lectern: error: \(error) (the course was written; run `lectern build` in it once this is fixed)")
            throw ExitCode(1)
        }
    }
}
