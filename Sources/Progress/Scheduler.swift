import Foundation
import Exercises

/// The review schedule of one exercise under FSRS: its phase, memory stability and difficulty, and
/// when it is due — py-fsrs's `Card` without the id.
public struct ReviewSchedule: Sendable, Equatable, Codable {
    /// Where an item is in FSRS's cycle (py-fsrs's `State`, with its numbers).
    public enum Phase: Int, Sendable, Codable {
        /// New or being learned: short steps of minutes.
        case learning = 1
        /// Learned: intervals of days from its stability.
        case review = 2
        /// Missed in review (a lapse): short steps again.
        case relearning = 3
    }

    /// The phase.
    public var phase: Phase
    /// The learning or relearning step (nil in review).
    public var step: Int?
    /// Days for recall to fall to 90 % (nil before the first review).
    public var stability: Double?
    /// 1 (easy) … 10 (hard) (nil before the first review).
    public var difficulty: Double?
    /// When the exercise is due again (seconds since 1970).
    public var due: Double
    /// When it was last reviewed (seconds since 1970).
    public var lastReview: Double?

    /// A schedule for an exercise never answered.
    public static let new = ReviewSchedule(phase: .learning, step: 0, stability: nil, difficulty: nil, due: 0, lastReview: nil)

    /// Creates a schedule.
    public init(phase: Phase, step: Int?, stability: Double?, difficulty: Double?, due: Double, lastReview: Double?) {
        self.phase = phase
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.lastReview = lastReview
    }
}

/// How an answer rates under FSRS (py-fsrs's `Rating`, with its numbers).
public enum Rating: Int, Sendable, CaseIterable {
    case again = 1, hard, good, easy

    /// The rating of an answer: right at the first try without a hint is Good; right after a retry
    /// or a hint is Hard; anything else (wrong, partly right, skipped — the last try not right) is
    /// Again. Easy is never given: a typed answer does not say how easy it felt.
    public init(outcome: QuestionOutcome, attempts: Int, hints: Int) {
        switch outcome {
        case .correct: self = attempts <= 1 && hints == 0 ? .good : .hard
        case .partial, .wrong, .skipped, .unanswered: self = .again
        }
    }
}

/// FSRS-6, the Free Spaced Repetition Scheduler (J. Ye et al., open-spaced-repetition), exactly as
/// py-fsrs 6.x's `Scheduler` computes it with fuzzing off: its 21 published default parameters,
/// learning steps of 1 and 10 minutes, one relearning step of 10 minutes, intervals in whole days
/// rounded half to even and at most 36,500 days. `scripts/fsrs_fixture.py` records py-fsrs on 1,000
/// random histories and `FSRSParityTests` replays them.
///
/// Recall after `t` whole days is `R = (1 + F·t/S)^(−w20)` with `F = 0.9^(−1/w20) − 1`, so `R = 0.9`
/// at `t = S`; the next interval is the `t` at which `R` falls to the desired retention.
public struct Scheduler: Sendable, Equatable {
    /// FSRS-6's default parameters w0 … w20 (py-fsrs 6.3 `DEFAULT_PARAMETERS`).
    public static let defaultParameters: [Double] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]
    /// The desired retention when none is set.
    public static let defaultRetention = 0.9
    /// The retentions accepted (py-fsrs accepts any; outside this the intervals stop making sense).
    public static let retentionRange = 0.7...0.99
    /// Seconds in a day.
    public static let day: Double = 86_400
    /// The smallest stability FSRS allows.
    public static let minimumStability = 0.001

    /// The model's weights.
    public let parameters: [Double]
    /// The probability of recall at which an item is due.
    public let desiredRetention: Double
    /// Seconds of each learning step.
    public let learningSteps: [Double]
    /// Seconds of each relearning step.
    public let relearningSteps: [Double]
    /// The longest interval, in days.
    public let maximumInterval: Int

    private let decay: Double
    private let factor: Double

    /// A scheduler with py-fsrs's defaults at `desiredRetention`.
    public init(desiredRetention: Double = Scheduler.defaultRetention, parameters: [Double] = Scheduler.defaultParameters,
                learningSteps: [Double] = [60, 600], relearningSteps: [Double] = [600], maximumInterval: Int = 36_500) {
        let weights = parameters.count == 21 ? parameters : Self.defaultParameters
        self.parameters = weights
        self.desiredRetention = desiredRetention
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
        self.maximumInterval = maximumInterval
        decay = -weights[20]
        factor = pow(0.9, 1 / decay) - 1
    }

    /// The predicted probability of recalling the item at `now` (0 before its first review); elapsed
    /// time counts in whole days, as py-fsrs counts it.
    public func retrievability(_ schedule: ReviewSchedule, at now: Double) -> Double {
        guard let last = schedule.lastReview, let stability = schedule.stability else { return 0 }
        let elapsed = max(0, Self.wholeDays(now - last))
        return pow(1 + factor * Double(elapsed) / stability, decay)
    }

    /// The schedule after a review rated `rating` at `now`.
    public func next(_ schedule: ReviewSchedule, rating: Rating, now: Double) -> ReviewSchedule {
        var card = schedule
        let daysSince = schedule.lastReview.map { Self.wholeDays(now - $0) }
        let sameDay = daysSince.map { $0 < 1 } ?? false
        let interval: Double
        switch schedule.phase {
        case .learning, .relearning:
            if let stability = card.stability, let difficulty = card.difficulty {
                card.stability = sameDay
                    ? shortTermStability(stability, rating: rating)
                    : nextStability(difficulty: difficulty, stability: stability,
                                    retrievability: retrievability(schedule, at: now), rating: rating)
                card.difficulty = nextDifficulty(difficulty, rating: rating)
            } else {
                card.stability = initialStability(rating)
                card.difficulty = clampDifficulty(initialDifficulty(rating))
            }
            let steps = schedule.phase == .learning ? learningSteps : relearningSteps
            let step = card.step ?? 0
            if steps.isEmpty || (step >= steps.count && rating != .again) {
                interval = graduate(&card)
            } else {
                switch rating {
                case .again:
                    card.step = 0
                    interval = steps[0]
                case .hard:
                    if step == 0 && steps.count == 1 {
                        interval = steps[0] * 1.5
                    } else if step == 0 {
                        interval = (steps[0] + steps[1]) / 2
                    } else {
                        interval = steps[min(step, steps.count - 1)]
                    }
                case .good:
                    if step + 1 == steps.count {
                        interval = graduate(&card)
                    } else {
                        card.step = step + 1
                        interval = steps[min(step + 1, steps.count - 1)]
                    }
                case .easy:
                    interval = graduate(&card)
                }
            }
        case .review:
            let stability = card.stability ?? initialStability(rating)
            let difficulty = card.difficulty ?? clampDifficulty(initialDifficulty(rating))
            card.stability = sameDay
                ? shortTermStability(stability, rating: rating)
                : nextStability(difficulty: difficulty, stability: stability,
                                retrievability: retrievability(schedule, at: now), rating: rating)
            card.difficulty = nextDifficulty(difficulty, rating: rating)
            if rating == .again && !relearningSteps.isEmpty {
                card.phase = .relearning
                card.step = 0
                interval = relearningSteps[0]
            } else {
                interval = Double(nextInterval(card.stability ?? Self.minimumStability)) * Self.day
            }
        }
        card.due = now + interval
        card.lastReview = now
        return card
    }

    /// Days until recall falls to the desired retention, rounded half to even, 1 … `maximumInterval`.
    public func nextInterval(_ stability: Double) -> Int {
        let days = (stability / factor * (pow(desiredRetention, 1 / decay) - 1)).rounded(.toNearestOrEven)
        guard days.isFinite else { return maximumInterval }
        return Int(min(Double(maximumInterval), max(1, days)))
    }

    /// Moves `card` to review, returning its interval in seconds.
    private func graduate(_ card: inout ReviewSchedule) -> Double {
        card.phase = .review
        card.step = nil
        return Double(nextInterval(card.stability ?? Self.minimumStability)) * Self.day
    }

    /// Whole days in `seconds`, rounded down as Python's `timedelta.days` does.
    static func wholeDays(_ seconds: Double) -> Int {
        let days = (seconds / Self.day).rounded(.down)
        return days.isFinite ? Int(max(-1e9, min(1e9, days))) : 0
    }

    private var w: [Double] { parameters }

    private func clampDifficulty(_ difficulty: Double) -> Double { min(max(difficulty, 1), 10) }

    private func initialStability(_ rating: Rating) -> Double { max(w[rating.rawValue - 1], Self.minimumStability) }

    private func initialDifficulty(_ rating: Rating) -> Double { w[4] - exp(w[5] * Double(rating.rawValue - 1)) + 1 }

    private func shortTermStability(_ stability: Double, rating: Rating) -> Double {
        var increase = exp(w[17] * (Double(rating.rawValue) - 3 + w[18])) * pow(stability, -w[19])
        if rating != .again { increase = max(increase, 1) }
        return max(stability * increase, Self.minimumStability)
    }

    private func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
        let delta = -(w[6] * (Double(rating.rawValue) - 3))
        let damped = difficulty + (10 - difficulty) * delta / 9
        return clampDifficulty(w[7] * initialDifficulty(.easy) + (1 - w[7]) * damped)
    }

    private func nextStability(difficulty: Double, stability: Double, retrievability: Double, rating: Rating) -> Double {
        let next: Double
        if rating == .again {
            let longTerm = w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1) * exp((1 - retrievability) * w[14])
            next = min(longTerm, stability / exp(w[17] * w[18]))
        } else {
            let hardPenalty = rating == .hard ? w[15] : 1
            let easyBonus = rating == .easy ? w[16] : 1
            next = stability * (1 + exp(w[8]) * (11 - difficulty) * pow(stability, -w[9])
                * (exp((1 - retrievability) * w[10]) - 1) * hardPenalty * easyBonus)
        }
        return max(next, Self.minimumStability)
    }
}
