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
    /// How many combinations satisfy `where`: counted when the walk finished, else estimated
    /// from the share of a sample that satisfies it (`estimated`).
    public let total: Int
    /// Whether `combinations` is every combination that satisfies `where`.
    public let isComplete: Bool
    /// Whether `total` is estimated from a sample of the product (a walk too large to finish).
    public let estimated: Bool

    /// The most combinations satisfying `where` that are enumerated (and proved) in full.
    public static let enumerationLimit = 100_000
    /// Products of the `given` lists up to this size are walked in full to apply `where`.
    public static let walkLimit = 400_000
    /// How many combinations are sampled from a space too large to enumerate.
    public static let sampleSize = 4_000

    /// A space of exactly these combinations.
    init(combinations: [[String: Value]], tried: Int, total: Int? = nil, isComplete: Bool = true, estimated: Bool = false) {
        self.combinations = combinations
        self.tried = tried
        self.total = total ?? combinations.count
        self.isComplete = isComplete
        self.estimated = estimated
    }

    /// Builds the space for `exercise`, or the diagnostic explaining why no variant can be drawn.
    ///
    /// `where` is applied while enumerating: each `and`-joined part prunes the walk as soon as the
    /// parameters it reads are bound, and a part `x == EXPR` computes x instead of trying every value
    /// of it, so a sparse constraint over a large product (`d_model == 64 * h` over 8,192 × 128) is
    /// enumerated in full. Only a walk that would visit more than `walkLimit` combinations samples.
    public static func build(for exercise: Exercise) -> Result<VariantSpace, ExerciseProblems> {
        let names = exercise.given.map(\.name)
        let domains = exercise.given.map(\.domain.values)
        var total = 1
        for domain in domains {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(domain.count, 1))
            total = overflow ? Int.max : product
        }
        let plan = WherePlan(exercise.whereClause, names: names)
        if total <= walkLimit || plan.mayPrune(domains: domains, limit: walkLimit), let walked = plan.walk(domains: domains, limit: walkLimit) {
            var accepted: [[String: Value]] = []
            for combination in walked.combinations {
                guard let whereClause = exercise.whereClause else { accepted.append(combination); continue }
                switch Expressions.evaluate(whereClause.value, bindings: combination) {
                case .success(.boolean(true)): accepted.append(combination)
                case .success(.boolean(false)): continue
                case .success(let other): return .failure(notBoolean(other, combination, whereClause, names))
                case .failure(let error): return .failure(failed(error, combination, whereClause, names))
                }
            }
            if accepted.isEmpty, let whereClause = exercise.whereClause {
                return .failure(unsatisfiable(whereClause, tried: walked.tried))
            }
            return .success(finish(accepted, tried: walked.tried, product: total, walked: true, id: exercise.id))
        }
        var candidates: [[String: Value]] = []
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
        guard let whereClause = exercise.whereClause else {
            return .success(VariantSpace(combinations: candidates, tried: candidates.count, total: total, isComplete: false))
        }
        var accepted: [[String: Value]] = []
        for combination in candidates {
            switch Expressions.evaluate(whereClause.value, bindings: combination) {
            case .success(.boolean(true)): accepted.append(combination)
            case .success(.boolean(false)): continue
            case .success(let other): return .failure(notBoolean(other, combination, whereClause, names))
            case .failure(let error): return .failure(failed(error, combination, whereClause, names))
            }
        }
        if accepted.isEmpty { return .failure(unsatisfiable(whereClause, tried: candidates.count)) }
        // The share of the sample that satisfies `where` estimates how many of the whole product do.
        let estimate = Int((Double(accepted.count) / Double(max(candidates.count, 1)) * Double(total)).rounded())
        return .success(VariantSpace(combinations: accepted, tried: candidates.count, total: max(estimate, accepted.count),
                                     isComplete: false, estimated: true))
    }

    private static func notBoolean(_ value: Value, _ combination: [String: Value], _ whereClause: Located<String>, _ names: [String]) -> ExerciseProblems {
        ExerciseProblems([Diagnostic(at: whereClause.location,
            "`where` must be true or false, but gave \(ValueText.plain(value)) for \(describe(combination, order: names))")])
    }

    private static func failed(_ error: ExpressionError, _ combination: [String: Value], _ whereClause: Located<String>, _ names: [String]) -> ExerciseProblems {
        ExerciseProblems([Diagnostic(at: Expressions.location(of: error, in: whereClause.location),
            "in `where` (with \(describe(combination, order: names))): \(error.message)")])
    }

    private static func unsatisfiable(_ whereClause: Located<String>, tried: Int) -> ExerciseProblems {
        ExerciseProblems([Diagnostic(at: whereClause.location,
            "no combination of the parameters satisfies `where` (\(tried) tried); widen `given` or relax the constraint")])
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

/// `where` split into its `and`-joined parts, each checked as soon as the parameters it reads are
/// bound, and the parameters some part fixes outright (`x == EXPR`), computed rather than tried.
struct WherePlan {
    /// One `and`-joined part of `where`, and the position in the walk after which it can be evaluated.
    struct Part {
        let expression: ExpressionLanguage.Expression
        let depth: Int
    }

    let names: [String]
    /// The walk's order: parameter positions in declaration order, solved ones after those they read.
    var order: [Int] = []
    /// Parts checked once the walk has bound `depth + 1` parameters (of `order`).
    var parts: [Part] = []
    /// For a parameter position, the expression that computes it.
    var solved: [Int: ExpressionLanguage.Expression] = [:]

    init(_ whereClause: Located<String>?, names: [String]) {
        self.names = names
        guard let whereClause, case .success(let parsed) = Expressions.parsed(whereClause.value) else {
            order = Array(names.indices)
            return
        }
        let conjuncts = WherePlan.conjuncts(parsed)
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for conjunct in conjuncts {
            guard case .binary("==", let left, let right, _) = conjunct else { continue }
            for (target, source) in [(left, right), (right, left)] {
                guard case .name(let name, _) = target, let index = position[name], solved[index] == nil else { continue }
                let reads = WherePlan.names(in: source).compactMap { position[$0] }
                if !reads.contains(index), reads.allSatisfy({ solved[$0] == nil }) {
                    solved[index] = source
                    break
                }
            }
        }
        order = names.indices.filter { solved[$0] == nil } + names.indices.filter { solved[$0] != nil }
        let depthOf = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for conjunct in conjuncts {
            let depth = WherePlan.names(in: conjunct).compactMap { position[$0] }.compactMap { depthOf[$0] }.max() ?? 0
            parts.append(Part(expression: conjunct, depth: depth))
        }
    }

    /// Whether a walk of a product larger than `limit` could finish within it: some parameters are
    /// computed (and the others' product is within the limit), or some part prunes before the last one.
    func mayPrune(domains: [[Value]], limit: Int) -> Bool {
        var free = 1
        for index in names.indices where solved[index] == nil {
            let (product, overflow) = free.multipliedReportingOverflow(by: max(domains[index].count, 1))
            free = overflow ? Int.max : product
        }
        return free <= limit || parts.contains { $0.depth < order.count - 1 }
    }

    /// The `and`-joined parts of `expression`.
    static func conjuncts(_ expression: ExpressionLanguage.Expression) -> [ExpressionLanguage.Expression] {
        if case .binary("and", let left, let right, _) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }

    /// The names an expression reads (not member names or labels).
    static func names(in expression: ExpressionLanguage.Expression) -> [String] {
        switch expression {
        case .literal: []
        case .name(let name, _): [name]
        case .list(let items, _): items.flatMap(names(in:))
        case .unary(_, let operand, _): names(in: operand)
        case .binary(_, let left, let right, _): names(in: left) + names(in: right)
        case .call(let callee, let arguments, _): names(in: callee) + arguments.flatMap { names(in: $0.value) }
        case .member(let base, _, _): names(in: base)
        case .index(let base, let index, _): names(in: base) + names(in: index)
        }
    }

    /// Every combination the walk reaches (in declaration order, as the product lists them) and how
    /// many it formed, or nil when it would visit more than `limit` combinations. A part that fails
    /// to evaluate part-way does not prune: the full `where` judges that combination at the end.
    func walk(domains: [[Value]], limit: Int) -> (combinations: [[String: Value]], tried: Int)? {
        var found: [[Int]] = []
        var visited = 0
        var chosen = [Int](repeating: 0, count: names.count)
        var bindings: [String: Value] = [:]
        let lookup: [Int: [String: Int]] = solved.keys.reduce(into: [:]) { table, index in
            table[index] = Dictionary(domains[index].enumerated().map { (ValueText.plain($1), $0) }, uniquingKeysWith: { first, _ in first })
        }
        func holds(at depth: Int) -> Bool {
            guard depth < order.count - 1 else { return true }
            for part in parts where part.depth == depth {
                if case .boolean(false)? = try? Evaluator(live: bindings).evaluate(part.expression) { return false }
            }
            return true
        }
        func visit(_ depth: Int) -> Bool {
            if depth == order.count {
                found.append(chosen)
                return found.count <= limit
            }
            let index = order[depth]
            if let expression = solved[index] {
                visited += 1
                guard let value = try? Evaluator(live: bindings).evaluate(expression),
                      let at = lookup[index]?[ValueText.plain(value)] else { return visited <= limit * 4 }
                chosen[index] = at
                bindings[names[index]] = domains[index][at]
                defer { bindings[names[index]] = nil }
                return holds(at: depth) ? visit(depth + 1) : true
            }
            for (at, value) in domains[index].enumerated() {
                visited += 1
                guard visited <= limit * 4 else { return false }
                chosen[index] = at
                bindings[names[index]] = value
                if holds(at: depth), !visit(depth + 1) { return false }
            }
            bindings[names[index]] = nil
            return true
        }
        guard visit(0) else { return nil }
        found.sort { $0.lexicographicallyPrecedes($1) }
        let combinations = found.map { indices in
            Dictionary(uniqueKeysWithValues: indices.enumerated().map { (names[$0], domains[$0][$1]) })
        }
        return (combinations, found.count)
    }
}
