import LiveValues
import ExpressionLanguage

/// Every parameter combination of an exercise that satisfies its `where`, from which variants are drawn.
///
/// A space whose `where` admits at most `enumerationLimit` combinations is enumerated in full
/// (`isComplete`), so `check` proves every variant a learner can be given. A larger one is
/// sampled with a fixed seed, the same on every machine, and `check` says how much it sampled.
public struct VariantSpace: Sendable {
    /// The parameter bindings a question may use, in a fixed order.
    public let combinations: [[String: Value]]
    /// How many combinations were tried against `where`.
    public let tried: Int
    /// How many combinations the space has: all that satisfy `where` when it was enumerated in
    /// full, else the size of the whole product of the `given` lists (before `where`).
    public let total: Int
    /// Whether `combinations` is every combination that satisfies `where`.
    public let isComplete: Bool

    /// The most combinations satisfying `where` that are enumerated (and proved) in full.
    public static let enumerationLimit = 100_000
    /// Products of the `given` lists up to this size are walked in full to apply `where`.
    public static let walkLimit = 400_000
    /// How many combinations are sampled from a space too large to enumerate.
    public static let sampleSize = 4_000

    /// A space of exactly these combinations.
    init(combinations: [[String: Value]], tried: Int, total: Int? = nil, isComplete: Bool = true) {
        self.combinations = combinations
        self.tried = tried
        self.total = total ?? combinations.count
        self.isComplete = isComplete
    }

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
        let walked = total <= walkLimit
        if walked {
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
            return .success(finish(candidates, tried: candidates.count, product: total, walked: walked, id: exercise.id))
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
        return .success(finish(accepted, tried: candidates.count, product: total, walked: walked, id: exercise.id))
    }

    /// The space of `accepted`: complete when the whole product was walked and at most
    /// `enumerationLimit` remain; else a fixed sample of `sampleSize` of them.
    private static func finish(_ accepted: [[String: Value]], tried: Int, product: Int, walked: Bool, id: String) -> VariantSpace {
        if walked && accepted.count <= enumerationLimit {
            return VariantSpace(combinations: accepted, tried: tried, total: accepted.count, isComplete: true)
        }
        guard walked else {
            return VariantSpace(combinations: accepted, tried: tried, total: product, isComplete: false)
        }
        var generator = SeededGenerator(seed: 0, label: "sample:" + id)
        let picked = generator.shuffled(Array(accepted.indices)).prefix(sampleSize).sorted()
        return VariantSpace(combinations: picked.map { accepted[$0] }, tried: tried, total: accepted.count, isComplete: false)
    }

    /// The space holding only combination `index` of this one, so that every seed draws it.
    func only(_ index: Int) -> VariantSpace {
        VariantSpace(combinations: [combinations[index]], tried: 1)
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

    /// The variant seed exercise `exerciseID` is posed with in a session drawn with seed `session`:
    /// fixed by the two alone (not by the order or the learner's progress), so an answers file that
    /// gives a session seed is graded against the variants the session posed.
    public static func sessionVariantSeed(session: UInt64, exerciseID: String) -> UInt64 {
        var generator = SeededGenerator(seed: session, label: "session-variant:" + exerciseID)
        return generator.next() & 0xFFFF_FFFF
    }

    /// `name = value` pairs in declaration order, for messages.
    public static func describe(_ bindings: [String: Value], order: [String]) -> String {
        order.compactMap { name in bindings[name].map { "\(name) = \(ValueText.plain($0))" } }.joined(separator: ", ")
    }
}
