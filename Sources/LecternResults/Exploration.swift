import LecternDocument

/// The runs of an explorable lecture: one per combination of its explorable
/// values (`FrontMatter.combinations`), the default among them.
public struct Exploration: Sendable, Equatable {
    /// The explorable params, in front-matter order (their values are the defaults).
    public var params: [Param]
    public var combinations: [ParamCombination]
    /// One run per combination.
    public var runs: [LectureRun]
    public var defaultIndex: Int

    public init(params: [Param], combinations: [ParamCombination], runs: [LectureRun], defaultIndex: Int) {
        self.params = params
        self.combinations = combinations
        self.runs = runs
        self.defaultIndex = defaultIndex
    }

    public var defaultRun: LectureRun { runs[defaultIndex] }

    /// What must hold at every combination but does not, at the combinations
    /// other than the default, each naming its combination (`(with rho=1.5)`):
    /// failed `expect`s and worked-example checks, traps, thrown errors,
    /// timeouts, a program that ended early or printed past the cap. Claims
    /// and compile errors (the same program at every value) are the default's.
    public func otherFailures(_ doc: Document) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (k, run) in runs.enumerated() where k != defaultIndex {
            out += Exploration.everywhere(run.failures(doc)).map { Exploration.naming($0, combinations[k]) }
        }
        return out
    }

    /// The kinds of failure checked at every combination.
    public static func everywhere(_ ds: [Diagnostic]) -> [Diagnostic] {
        ds.filter { ![.claim, .compile, .source].contains($0.kind) }
    }

    public static func naming(_ d: Diagnostic, _ c: ParamCombination) -> Diagnostic {
        var d = d
        d.message += " (with \(c.label))"
        return d
    }
}
