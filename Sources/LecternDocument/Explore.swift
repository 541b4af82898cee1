/// One combination of an explorable lecture's values: the params as the
/// program runs with them.
public struct ParamCombination: Sendable, Equatable {
    /// Every param, each at its value in this combination.
    public var params: [Param]
    /// For each explorable param (in front-matter order), the index of its value.
    public var choice: [Int]
    /// `rho=1.5, steps=30`: the explorable params' values, as failures name them.
    public var label: String
}

extension FrontMatter {
    /// The params a reader can change, in front-matter order.
    public static func explorable(_ params: [Param]) -> [Param] { params.filter { $0.explore != nil } }

    /// Every combination of the explorable params' values, the last param
    /// varying fastest, and the index of the default one. A lecture with no
    /// explorable param has one combination, its params as given.
    public static func combinations(_ params: [Param]) -> (all: [ParamCombination], defaultIndex: Int) {
        let explorable = params.indices.filter { params[$0].explore != nil }
        var all: [ParamCombination] = []
        var choice = Array(repeating: 0, count: explorable.count)
        var defaultIndex = 0
        let defaults = explorable.map { k in params[k].explore!.values.firstIndex(of: params[k].value) ?? 0 }
        while true {
            var ps = params
            for (j, k) in explorable.enumerated() { ps[k].value = params[k].explore!.values[choice[j]] }
            if choice == defaults { defaultIndex = all.count }
            let label = explorable.enumerated().map { j, k in "\(params[k].name)=\(params[k].explore!.values[choice[j]])" }
                .joined(separator: ", ")
            all.append(ParamCombination(params: ps, choice: choice, label: label))
            // Next choice, the last param fastest.
            var j = explorable.count - 1
            while j >= 0 {
                choice[j] += 1
                if choice[j] < params[explorable[j]].explore!.values.count { break }
                choice[j] = 0
                j -= 1
            }
            if j < 0 { break }
        }
        return (all, defaultIndex)
    }
}
