import Foundation
import LecternDocument
import LecternRender
import LecternRunner

public struct BuildOptions: Sendable {
    public var outputDirectory = "Output"
    /// Lecture files to build; empty means all.
    public var only: [String] = []
    public init() {}
}

public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var filesWritten: [String] = []
    public var filesUnchanged = 0
    public var lecturesBuilt = 0
    /// True when a lecture could not be built (an error diagnostic).
    public var failed: Bool { diagnostics.hasErrors }
}

/// Builds a course into the output folder: parse, render, write.
public struct CourseBuilder {
    public let course: Course
    public let options: BuildOptions

    public init(course: Course, options: BuildOptions) {
        self.course = course
        self.options = options
    }

    public func build() throws -> BuildReport {
        var report = BuildReport()
        report.diagnostics += course.diagnostics
        let writer = OutputWriter(root: options.outputDirectory)
        let selected: Set<Int>
        if options.only.isEmpty {
            selected = Set(course.documents.indices)
        } else {
            var s = Set<Int>()
            for p in options.only {
                guard let i = course.index(ofPath: p) else {
                    throw BuildError.usage("\(p) is not a lecture in \(course.lecturesDirectory)/")
                }
                s.insert(i)
            }
            selected = s
        }
        let links = course.documents.map { LectureLink(slug: $0.slug, title: $0.title, subtitle: $0.subtitle) }
        for (i, doc) in course.documents.enumerated() where selected.contains(i) {
            report.diagnostics += doc.diagnostics
            let rendered = LectureRenderer.render(doc, run: nil, courseTitle: course.title,
                                                  previous: i > 0 ? links[i - 1] : nil,
                                                  next: i + 1 < links.count ? links[i + 1] : nil)
            report.diagnostics += rendered.diagnostics
            try writer.replace(owner: doc.slug, files: rendered.files)
            report.lecturesBuilt += 1
        }
        // Course-wide files, and pages of lectures that no longer exist.
        try writer.replace(owner: "*", files: [("index.html", LectureRenderer.index(courseTitle: course.title, lectures: links))]
                           + Assets.files())
        let live = Set(course.documents.map(\.slug) + ["*"])
        for owner in writer.owners where !live.contains(owner) { writer.removeOwner(owner) }
        try writer.saveManifest()
        report.filesWritten = writer.written
        report.filesUnchanged = writer.unchanged
        return report
    }
}
