import Foundation

/// Classical item analysis of a graded class: how hard each question was, whether it separates
/// stronger learners from weaker ones, which distractors and `wrong` entries learners fell for, and
/// the flags a teacher acts on. The formulas are in docs/authoring.md ("Item analysis").
public struct ItemAnalysis: Sendable {
    /// How many learners made one mistake (or chose one option).
    public struct Count: Sendable, Equatable {
        /// `wrong: d_model`, `picked: "…"`, `missed: "…"`.
        public var label: String
        /// Learners, each counted once however often they made it.
        public var learners: Int
        /// Whether it is a wrong option of a choice or multi question (a distractor).
        public var distractor: Bool
    }

    /// One variant's difficulty.
    public struct Variant: Sendable, Equatable {
        /// `d_model = 512, h = 8`.
        public var given: String
        public var learners: Int
        public var rightFirstTry: Int
        public var meanCredit: Double
    }

    /// An unanticipated answer, with the entry that would catch it.
    public struct Unanticipated: Sendable, Equatable {
        /// What the entry catches (`d_model * h`).
        public var answer: String
        /// One value as given, with its variant.
        public var example: String
        /// The YAML line to paste under `wrong:`.
        public var entry: String
        public var learners: Int
    }

    /// What a teacher should look at.
    public enum Flag: Sendable, Equatable, CustomStringConvertible {
        /// At least 90% right at the first try.
        case easy
        /// At most 10% right at the first try.
        case hard
        /// Learners with higher rest scores did worse on it.
        case negativeDiscrimination
        /// A wrong option nobody chose.
        case unusedDistractor(String)

        /// A short name, for JSON and CSV.
        public var code: String {
            switch self {
            case .easy: "easy"
            case .hard: "hard"
            case .negativeDiscrimination: "negative-discrimination"
            case .unusedDistractor: "unused-distractor"
            }
        }

        public var description: String {
            switch self {
            case .easy: "nearly everyone right at the first try: it tells learners apart little; make it harder or keep it as a warm-up"
            case .hard: "nearly everyone wrong at the first try: check the key and the prompt, or teach it again"
            case .negativeDiscrimination: "negative discrimination: learners who did better on the rest missed it more; the key or the prompt may be wrong"
            case .unusedDistractor(let option): "nobody picked \(option): replace it with a mistake learners make"
            }
        }
    }

    /// One question's figures.
    public struct Item: Sendable {
        public var id: String
        public var kind: ExerciseKind
        /// Learners who answered it.
        public var learners: Int
        /// Mean credit (0…1), retries and hints halving it as in practice.
        public var meanCredit: Double
        /// Learners right at the first try without a hint.
        public var rightFirstTry: Int
        /// Point-biserial correlation of right-at-the-first-try (0 or 1) with the rest score; nil
        /// when everyone or nobody was right, or every rest score is the same.
        public var pointBiserial: Double?
        /// Share right at the first try in the upper 27% by rest score minus that in the lower 27%;
        /// nil below 2 learners.
        public var upperLower: Double?
        /// Learners in each of the upper and lower groups.
        public var groupSize: Int
        /// Per option or `wrong` entry, in file order.
        public var counts: [Count]
        /// Per variant (only when learners drew more than one), in variant-space order.
        public var variants: [Variant]
        /// Unanticipated answers, most learners first.
        public var unanticipated: [Unanticipated]
        public var flags: [Flag]

        /// Share right at the first try.
        public var difficulty: Double { learners == 0 ? 0 : Double(rightFirstTry) / Double(learners) }
    }

    public var items: [Item]

    /// Share right at the first try at or above which an item is flagged easy.
    public static let easyShare = 0.9
    /// Share right at the first try at or below which an item is flagged hard.
    public static let hardShare = 0.1
    /// The share of learners in each of the upper and lower groups.
    public static let groupShare = 0.27

    /// The analysis of `grades`.
    public init(_ grades: ClassGrades) {
        items = grades.columns.compactMap { id in
            grades.bank[id].map { Self.item($0, rows: grades.rows) }
        }
    }

    static func item(_ exercise: Exercise, rows: [ClassGrades.Row]) -> Item {
        let id = exercise.id
        let answered = rows.compactMap { row in row.responses[id].map { (row.learner, $0, row.total - (row.scores[id] ?? 0)) } }
        let n = answered.count
        let right = answered.filter { $0.1.firstTry }.count
        let mean = n == 0 ? 0 : answered.map(\.1.credit).reduce(0, +) / Double(n)
        let scores = answered.map { $0.1.firstTry ? 1.0 : 0.0 }
        let rest = answered.map(\.2)
        let r = pointBiserial(scores, rest)
        let ranked = answered.enumerated().sorted { a, b in
            a.element.2 != b.element.2 ? a.element.2 > b.element.2 : a.element.0 < b.element.0
        }.map { scores[$0.offset] }
        let k = max(1, Int((groupShare * Double(n)).rounded()))
        let upperLower: Double? = n < 2 ? nil
            : ranked.prefix(k).reduce(0, +) / Double(k) - ranked.suffix(k).reduce(0, +) / Double(k)

        var mistakes: [Mistake: Int] = [:]
        for (_, response, _) in answered {
            for mistake in response.mistakes { mistakes[mistake, default: 0] += 1 }
        }
        var counts: [Count] = []
        switch exercise.kind {
        case .choice, .multi:
            for (index, option) in exercise.options.enumerated() {
                if option.correct {
                    if exercise.kind == .multi {
                        counts.append(Count(label: ClassGrades.label(.missed(index), exercise: exercise), learners: mistakes[.missed(index)] ?? 0, distractor: false))
                    }
                } else {
                    counts.append(Count(label: ClassGrades.label(.picked(index), exercise: exercise), learners: mistakes[.picked(index)] ?? 0, distractor: true))
                }
            }
        case .number, .shape, .text:
            for index in exercise.wrong.indices {
                counts.append(Count(label: ClassGrades.label(.wrongEntry(index), exercise: exercise), learners: mistakes[.wrongEntry(index)] ?? 0, distractor: false))
            }
        }
        var unanticipated: [Unanticipated] = []
        for (mistake, count) in mistakes {
            if case .unanticipated(let suggestion) = mistake {
                unanticipated.append(Unanticipated(answer: suggestion.answer, example: suggestion.example, entry: suggestion.entry, learners: count))
            }
        }
        unanticipated.sort { ($1.learners, $0.entry) < ($0.learners, $1.entry) }

        var byVariant: [Int: (given: String, learners: Int, right: Int, credit: Double)] = [:]
        for (_, response, _) in answered {
            var entry = byVariant[response.combination] ?? (response.variant, 0, 0, 0)
            entry.learners += 1
            entry.right += response.firstTry ? 1 : 0
            entry.credit += response.credit
            byVariant[response.combination] = entry
        }
        let variants = byVariant.count < 2 || exercise.given.isEmpty ? [] : byVariant.keys.sorted().compactMap { key in
            byVariant[key].map { Variant(given: $0.given, learners: $0.learners, rightFirstTry: $0.right, meanCredit: $0.credit / Double($0.learners)) }
        }

        var flags: [Flag] = []
        let share = n == 0 ? 0 : Double(right) / Double(n)
        if n > 0, share >= easyShare { flags.append(.easy) }
        if n > 0, share <= hardShare { flags.append(.hard) }
        if let r, r < 0 { flags.append(.negativeDiscrimination) } else if r == nil, let d = upperLower, d < 0 { flags.append(.negativeDiscrimination) }
        if n > 0 {
            for count in counts where count.distractor && count.learners == 0 { flags.append(.unusedDistractor(String(count.label.dropFirst("picked: ".count)))) }
        }
        return Item(id: id, kind: exercise.kind, learners: n, meanCredit: mean, rightFirstTry: right, pointBiserial: r,
                    upperLower: upperLower, groupSize: k, counts: counts, variants: variants, unanticipated: unanticipated, flags: flags)
    }

    /// Pearson's correlation of the 0/1 `item` scores with `rest`, which for a 0/1 variable is the
    /// point-biserial (M₁ − M₀) / s · √(p(1 − p)) with s the population standard deviation of `rest`.
    static func pointBiserial(_ item: [Double], _ rest: [Double]) -> Double? {
        let n = Double(item.count)
        guard item.count >= 2 else { return nil }
        let p = item.reduce(0, +) / n
        guard p > 0, p < 1 else { return nil }
        let mean = rest.reduce(0, +) / n
        let variance = rest.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
        guard variance > 1e-12 else { return nil }
        let ones = zip(item, rest).filter { $0.0 == 1 }.map(\.1)
        let zeros = zip(item, rest).filter { $0.0 == 0 }.map(\.1)
        let m1 = ones.reduce(0, +) / Double(ones.count)
        let m0 = zeros.reduce(0, +) / Double(zeros.count)
        return (m1 - m0) / variance.squareRoot() * (p * (1 - p)).squareRoot()
    }

    /// A figure to two decimals, `—` when undefined.
    static func figure(_ value: Double?) -> String {
        guard let value else { return "—" }
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }

    static func learners(_ count: Int) -> String { "\(count) learner\(count == 1 ? "" : "s")" }

    /// The report, one block per item.
    public var text: String {
        var text = ""
        for item in items {
            text += "\n\(item.id) (\(item.kind.rawValue), \(Self.learners(item.learners)))\n"
            text += "  difficulty: \(item.rightFirstTry) of \(item.learners) right at the first try (\(Self.figure(item.difficulty))), mean credit \(Self.figure(item.meanCredit))\n"
            text += "  discrimination: point-biserial \(Self.figure(item.pointBiserial)), upper − lower 27% \(Self.figure(item.upperLower))"
            text += item.upperLower == nil ? "\n" : " (\(item.groupSize) in each group)\n"
            let width = min(48, item.counts.map(\.label.count).max() ?? 0)
            for count in item.counts {
                text += "  " + count.label.padding(toLength: max(width, count.label.count), withPad: " ", startingAt: 0) + "  " + Self.learners(count.learners) + "\n"
            }
            for entry in item.unanticipated.prefix(5) {
                text += "  unanticipated: \(entry.example): \(Self.learners(entry.learners)); to catch it, add under wrong:\n"
                text += "      \(entry.entry)\n"
            }
            if item.unanticipated.count > 5 { text += "  … \(item.unanticipated.count - 5) more unanticipated answers in --json\n" }
            if !item.variants.isEmpty {
                text += "  by variant:\n"
                for variant in item.variants.prefix(8) {
                    text += "    \(variant.given): \(variant.rightFirstTry) of \(variant.learners) right at the first try, mean credit \(Self.figure(variant.meanCredit))\n"
                }
                if item.variants.count > 8 { text += "    … \(item.variants.count - 8) more variants in --json\n" }
            }
            for flag in item.flags { text += "  flag: \(flag)\n" }
        }
        return text
    }

    /// The items as JSON values (numbers as numbers, undefined figures as null).
    public var jsonObject: [[String: Any]] {
        items.map { item in
            [
                "id": item.id,
                "kind": item.kind.rawValue,
                "learners": item.learners,
                "right_first_try": item.rightFirstTry,
                "difficulty": item.difficulty,
                "mean_credit": item.meanCredit,
                "point_biserial": item.pointBiserial.map { $0 as Any } ?? NSNull(),
                "upper_lower": item.upperLower.map { $0 as Any } ?? NSNull(),
                "group_size": item.groupSize,
                "mistakes": item.counts.map { ["label": $0.label, "learners": $0.learners, "distractor": $0.distractor] as [String: Any] },
                "unanticipated": item.unanticipated.map { ["answer": $0.answer, "example": $0.example, "entry": $0.entry, "learners": $0.learners] as [String: Any] },
                "variants": item.variants.map { ["given": $0.given, "learners": $0.learners, "right_first_try": $0.rightFirstTry, "mean_credit": $0.meanCredit] as [String: Any] },
                "flags": item.flags.map { ["flag": $0.code, "message": $0.description] },
            ]
        }
    }

    /// One row per item: `id,kind,learners,right_first_try,difficulty,mean_credit,point_biserial,upper_lower,flags,most_common_mistake`.
    public var csv: String {
        var text = "id,kind,learners,right_first_try,difficulty,mean_credit,point_biserial,upper_lower,flags,most_common_mistake\n"
        for item in items {
            let common = (item.counts.map { ($0.label, $0.learners) } + item.unanticipated.map { ("unanticipated: " + $0.answer, $0.learners) })
                .filter { $0.1 > 0 }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }.first
            let fields = [ClassGrades.field(item.id), item.kind.rawValue, String(item.learners), String(item.rightFirstTry), Self.figure(item.difficulty),
                          Self.figure(item.meanCredit), item.pointBiserial.map { Self.figure($0) } ?? "", item.upperLower.map { Self.figure($0) } ?? "",
                          item.flags.map(\.code).joined(separator: " "), ClassGrades.field(common.map { "\($0.0) (\($0.1))" } ?? "")]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}
