import LiveValues
import ExpressionLanguage

/// Every parameter combination of an exercise that satisfies its `where`, from which variants are drawn.
///
/// Small spaces (up to `enumerationLimit` combinations) are enumerated in full; larger ones are
/// sampled with a fixed seed, so the space is the same on every machine.
public struct VariantSpace: Sendable {
    /// The parameter bindings a question may use, in a fixed order.
    public let combinations: [[String: Value]]
    /// How many combinations were tried against `where`.
    public let tried: Int

    /// Combinations enumerated in full below this size; above it, `sampleSize` are sampled.
    public static let enumerationLimit = 20_000
    /// How many combinations are sampled from a space too large to enumerate.
    public static let sampleSize = 4_000

    /// Builds the space for `exercise`, or the diagnostic explaining why no variant can be drawn.
    public static func build(for exercise: Exercise) -> Result<VariantSpace, ExerciseProblems> {
        let names = exercise.given.map(\.name)
        let domains = exercise.given.map(\.domain.values)
        var total = 1
        for domain in domains {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(domain.count, 1))
            total = overflow ? Int.max : product
        }
        var candidates: [[String: Value]] = []
        if total <= enumerationLimit {
            candidates = [[:]]
            for (name, domain) in zip(names, domains) {
                candidates = candidates.flatMap { partial in
                    domain.map { value in
                        var next = partial
                        next[name] = value
                        return next
                    }
                }
            }
        } else {
            var generator = SeededGenerator(seed: 0, label: "space:" + exercise.id)
            var seen = Set<String>()
            for _ in 0..<sampleSize {
                var combination: [String: Value] = [:]
                var key = ""
                for (name, domain) in zip(names, domains) {
                    let value = domain[generator.below(domain.count)]
                    combination[name] = value
                    key += ValueText.plain(value) + "|"
                }
                if seen.insert(key).inserted { candidates.append(combination) }
            }
        }
        guard let whereClause = exercise.whereClause else {
            return .success(VariantSpace(combinations: candidates, tried: candidates.count))
        }
        var accepted: [[String: Value]] = []
        for combination in candidates {
            switch Expressions.evaluate(whereClause.value, bindings: combination) {
            case .success(.boolean(true)):
                accepted.append(combination)
            case .success(.boolean(false)):
                continue
            case .success(let other):
                return .failure(ExerciseProblems([Diagnostic(at: whereClause.location,
                    "`where` must be true or false, but gave \(ValueText.plain(other)) for \(describe(combination, order: names))")]))
            case .failure(let error):
                return .failure(ExerciseProblems([Diagnostic(at: Expressions.location(of: error, in: whereClause.location),
                    "in `where` (with \(describe(combination, order: names))): \(error.message)")]))
            }
        }
        if accepted.isEmpty {
            return .failure(ExerciseProblems([Diagnostic(at: whereClause.location,
                "no combination of the parameters satisfies `where` (\(candidates.count) tried); widen `given` or relax the constraint")]))
        }
        return .success(VariantSpace(combinations: accepted, tried: candidates.count))
    }

    /// The bindings for variant `seed`: the same seed always gives the same bindings.
    public func draw(seed: UInt64, exerciseID: String) -> [String: Value] {
        drawIndex(seed: seed, exerciseID: exerciseID).map { combinations[$0] } ?? [:]
    }

    /// The position in `combinations` of the bindings for variant `seed`, nil when there are none.
    func drawIndex(seed: UInt64, exerciseID: String) -> Int? {
        guard !combinations.isEmpty else { return nil }
        var generator = SeededGenerator(seed: seed, label: "variant:" + exerciseID)
        return generator.below(combinations.count)
    }

    /// `name = value` pairs in declaration order, for messages.
    public static func describe(_ bindings: [String: Value], order: [String]) -> String {
        order.compactMap { name in bindings[name].map { "\(name) = \(ValueText.plain($0))" } }.joined(separator: ", ")
    }
}
