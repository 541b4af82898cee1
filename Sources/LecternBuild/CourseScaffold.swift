import Foundation
import LecternRecords

/// `lectern new`: the files of a new course that builds and checks at once:
/// `course.yml`, a first lecture that shows the authoring format working,
/// `.gitignore`, a README and a CI workflow (one job, or a matrix of shards).
public enum CourseScaffold {
    public static let firstLecture = "Lectures/01-introduction.md"
    public static let workflow = ".github/workflows/lectern.yml"

    /// Where the CI workflow gets the tool: a git repository and a ref (tag,
    /// branch or commit). `scripts/install` records its own in `lib/lectern/SOURCE`.
    public struct ToolSource: Sendable, Equatable {
        public var repository: String
        public var ref: String
        public init(repository: String, ref: String) {
            self.repository = repository
            self.ref = ref
        }

        /// What goes in the workflow when the tool knows no better.
        public static let placeholder = ToolSource(repository: "https://github.com/OWNER/lectern.git",
                                                   ref: "v\(LecternVersion.current)")

        /// `repository=` and `commit=` lines of the kit's `SOURCE` file.
        public static func read(kitDirectory: String) -> ToolSource? {
            guard let text = try? String(contentsOfFile: "\(kitDirectory)/SOURCE", encoding: .utf8) else { return nil }
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            }
            guard let repository = fields["repository"], !repository.isEmpty,
                  let ref = fields["commit"], !ref.isEmpty else { return nil }
            return ToolSource(repository: repository, ref: ref)
        }
    }

    public enum Problem: Error, CustomStringConvertible {
        case notEmpty(String)
        case notAFolder(String)
        case cannotWrite(String, String)
        public var description: String {
            switch self {
            case .notEmpty(let d):
                return "\(d) is not empty; lectern new writes a course only into a new or empty folder (nothing was written)"
            case .notAFolder(let d): return "\(d) exists and is not a folder (nothing was written)"
            case .cannotWrite(let d, let why): return "cannot write the course into \(d): \(why)"
            }
        }
    }

    /// A title from a folder name: `my-course` -> `My course`.
    public static func title(forFolder path: String) -> String {
        let name = (CourseLocation.standardized(path) as NSString).lastPathComponent
            .replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        guard let first = name.first else { return Course.defaultTitle }
        return first.uppercased() + name.dropFirst()
    }

    /// Writes the course into `directory`, which must be missing or empty; on
    /// a failure, what was written is removed.
    public static func write(to directory: String, title: String, tool: ToolSource) throws {
        let files = FileManager.default
        var isDir: ObjCBool = false
        let existed = files.fileExists(atPath: directory, isDirectory: &isDir)
        if existed {
            guard isDir.boolValue else { throw Problem.notAFolder(directory) }
            let entries = (try? files.contentsOfDirectory(atPath: directory)) ?? ["?"]
            guard entries.isEmpty else { throw Problem.notEmpty(directory) }
        }
        do {
            for (path, text) in self.files(title: title, tool: tool) {
                let full = "\(directory)/\(path)"
                try files.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                          withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full), options: .atomic)
            }
        } catch {
            if existed {
                for entry in (try? files.contentsOfDirectory(atPath: directory)) ?? [] {
                    try? files.removeItem(atPath: "\(directory)/\(entry)")
                }
            } else {
                try? files.removeItem(atPath: directory)
            }
            throw Problem.cannotWrite(directory, (error as NSError).localizedDescription)
        }
    }

    /// Each file of the new course: its path in the course and its text.
    public static func files(title: String, tool: ToolSource) -> [(path: String, text: String)] {
        [("course.yml", courseFile(title: title)),
         (firstLecture, lecture),
         (".gitignore", ".lectern-cache/\n"),
         ("README.md", readme(title: title)),
         (workflow, workflowFile(tool: tool))]
    }

    static func yamlString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func courseFile(title: String) -> String {
        """
        # Lectern course settings. The folder holding this file is the course root:
        # lectern finds it from any folder below, and keeps its cache
        # (.lectern-cache/) and the built course there. Every key is optional.

        # The course's title, on the index page and in every page's header.
        title: \(yamlString(title.replacingOccurrences(of: "\n", with: " ")))

        # The folder holding the lectures: NN-slug.md files, in the order of NN
        # (or of `order:` in a lecture's front matter). Relative to this folder.
        lectures: Lectures

        # Where `lectern build` writes the course (HTML pages, GitHub Markdown,
        # figures) and what `lectern check` compares with the sources. Commit it.
        output: Output

        # true: every build also prints Output/<slug>.pdf and Output/course.pdf
        # with headless Chromium, as `lectern build --pdf` does. PDFs are not
        # compared by `lectern check`. paper: a4 (the default) or letter.
        pdf: false
        # paper: a4

        """
    }

    static let lecture = #"""
    ---
    title: Introduction
    subtitle: What a lecture can hold
    params:
      rate: 0.5        # a typed constant in every cell; `lectern run ... -P rate=0.8` changes it
      gain: {value: 1.1, values: [0.9, 1.0, 1.1], label: "gain per step"}  # a control on the page
    ---

    A lecture is Markdown with Swift cells. The cells run in order, in one
    program, and share their variables; what a cell shows and prints appears
    below it. Math such as $r^k$ is kept as written and rendered on the page.

    ## A cell, a check and its output

    ```swift {#powers}
    let steps = 10
    let values = (0...steps).map { pow(rate, Double($0)) }
    show("rate", rate)
    expect(values[1], rate)
    print("after", steps, "steps:", values[steps])
    ```
    ```output
    rate = 0.5
    after 10 steps: 0.0009765625
    ```

    `expect` is a check: `lectern check` fails when it does not hold. The
    `output` block holds what the cell prints; `lectern check` compares it with
    what the cell prints now, and `lectern check --update` rewrites it.

    ## A figure

    ```swift {#fig-powers echo=false caption="The powers $r^k$ fall geometrically."}
    var figure = Figure(title: "Powers of the rate", x: "k", y: "r^k", yScale: .log)
    figure.line(0...steps, values, label: "r = \(rate)")
    show(figure)
    ```

    @fig-powers shows the first `{swift} steps + 1` powers. Their sum is
    `{swift} values.reduce(0, +) ≈ 1.999`, close to $1/(1-r) = 2$: the number
    written in the prose is checked against the computed one, to the digits
    written.

    ## A control on the page

    A parameter that lists its values, as `gain` does in the front matter,
    becomes a control on the HTML page: the lecture runs once for each value,
    and every output that depends on it follows the control.

    ```swift {#fig-gain echo=false caption="The powers $g^k$ of the gain $g$ chosen on the page."}
    let gained = (0...steps).map { pow(gain, Double($0)) }
    var growth = Figure(title: "Powers of the gain", x: "k", y: "g^k", yScale: .log)
    growth.yLimits = 0.3...3   // one axis for every gain, so the curve moves and the axis stays
    growth.line(0...steps, gained, label: "g = \(gain)")
    show(growth)
    expect((gained[steps] > 1) == (gain > 1), "the powers grow exactly when the gain is above one")
    ```

    With the gain `{swift} gain`, the power after `{swift} steps` steps is
    `{swift} gained[steps]`, `{swift} gained[steps] > 1 ? "above one: the powers grow" : gained[steps] < 1 ? "below one: the powers shrink" : "exactly one"`.
    The words are chosen by the computation, so the sentence holds at every
    value; `lectern check` runs the lecture at each of them, and every `expect`
    must hold at all.

    """#

    static func readme(title: String) -> String {
        """
        # \(title)

        Course notes made with Lectern: each lecture in `Lectures/` is Markdown
        with Swift cells, and `Output/` holds the built course (HTML pages and
        GitHub Markdown), with every number computed from the cells.

        ## Reading the notes

        With Lectern installed (`scripts/install` in Lectern's repository):

            lectern watch                                          # serves the notes at http://127.0.0.1:8000/ and rebuilds what you edit
            lectern run Lectures/01-introduction.md                # runs one lecture and prints what each cell computes

        `lectern run Lectures/01-introduction.md -P rate=0.8` runs it with another
        value of a parameter (the checks written for the default may then fail).

        ## Writing

            lectern build      # Lectures/ -> Output/ (commit Output/ with the lectures)
            lectern check      # every expect, output block and claim holds, and Output/ is current

        A new lecture is a new file `Lectures/NN-slug.md`. CI runs `lectern
        check` on every push and pull request (`.github/workflows/lectern.yml`).

        """
    }

    static func workflowFile(tool: ToolSource) -> String {
        #"""
        # Checks the course on every push and pull request: every expect, output
        # block and claim holds, and the committed Output/ is what the lectures
        # build (`lectern check`).
        #
        # One job by default. For a course of heavy lectures, list more shards in
        # matrix.shard, e.g. [1, 2, 3]: each job then checks its share of the
        # lectures (`lectern check --shard I/N`, balanced by the lectures' last
        # durations). Every job restores the same run cache, under a key derived
        # from the lectures' content; the `cache` job merges what the jobs ran and
        # saves it, so that the next run compiles only the lectures that changed.
        #
        # To publish Output/ with GitHub Pages, set the repository variable
        # LECTERN_PAGES to true and choose "GitHub Actions" as the Pages source.
        name: lectern

        on:
          push:
          pull_request:

        permissions:
          contents: read

        env:
          # The Lectern the course is checked with: a git repository and a tag,
          # branch or commit of it.
          LECTERN_REPOSITORY: \#(tool.repository)
          LECTERN_REF: \#(tool.ref)
          LECTERN_PREFIX: /opt/lectern

        jobs:
          check:
            name: check (shard ${{ matrix.shard }}/${{ strategy.job-total }})
            runs-on: ubuntu-latest
            container: swift:6.2-bookworm
            strategy:
              fail-fast: false
              matrix:
                shard: [1]
            steps:
              - uses: actions/checkout@v5

              - name: Restore the tool
                id: tool
                uses: actions/cache@v5
                with:
                  path: ${{ env.LECTERN_PREFIX }}
                  key: lectern-tool-${{ env.LECTERN_REF }}

              - name: Install the tool
                if: steps.tool.outputs.cache-hit != 'true'
                run: |
                  git init -q "$RUNNER_TEMP/lectern"
                  cd "$RUNNER_TEMP/lectern"
                  git fetch -q --depth 1 "$LECTERN_REPOSITORY" "$LECTERN_REF"
                  git checkout -q FETCH_HEAD
                  scripts/install --prefix "$LECTERN_PREFIX"

              - name: Install the libraries lectures link
                run: |
                  "$LECTERN_PREFIX/lib/lectern/install-deps" build
                  echo "$LECTERN_PREFIX/bin" >> "$GITHUB_PATH"

              - run: lectern --version

              - name: Restore the run cache
                uses: actions/cache/restore@v5
                with:
                  path: .lectern-cache/runs
                  key: lectern-runs-${{ env.LECTERN_REF }}-${{ hashFiles('Lectures/**', 'course.yml') }}
                  restore-keys: lectern-runs-${{ env.LECTERN_REF }}-

              - name: Check
                run: lectern check --shard "${{ matrix.shard }}/${{ strategy.job-total }}" --format github --junit lectern-report.xml

              - name: Upload the report
                if: always()
                uses: actions/upload-artifact@v6
                with:
                  name: lectern-report-${{ matrix.shard }}
                  path: lectern-report.xml
                  if-no-files-found: ignore

              - name: Keep this job's runs for the cache
                if: always()
                uses: actions/upload-artifact@v6
                with:
                  name: lectern-runs-${{ matrix.shard }}
                  path: .lectern-cache/runs
                  include-hidden-files: true
                  if-no-files-found: ignore
                  retention-days: 1

          cache:
            needs: check
            if: always()
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v5

              - name: Merge the jobs' runs
                uses: actions/download-artifact@v7
                continue-on-error: true
                with:
                  pattern: lectern-runs-*
                  merge-multiple: true
                  path: .lectern-cache/runs

              - name: Save the run cache
                uses: actions/cache/save@v5
                continue-on-error: true
                with:
                  path: .lectern-cache/runs
                  key: lectern-runs-${{ env.LECTERN_REF }}-${{ hashFiles('Lectures/**', 'course.yml') }}

          pages:
            needs: check
            if: github.event_name == 'push' && github.ref_name == github.event.repository.default_branch && vars.LECTERN_PAGES == 'true'
            runs-on: ubuntu-latest
            permissions:
              pages: write
              id-token: write
            environment:
              name: github-pages
              url: ${{ steps.deploy.outputs.page_url }}
            steps:
              - uses: actions/checkout@v5
              - uses: actions/upload-pages-artifact@v4
                with:
                  path: Output
              - id: deploy
                uses: actions/deploy-pages@v5

        """#
    }
}
