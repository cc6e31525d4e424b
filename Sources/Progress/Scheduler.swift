import Foundation
import Exercises

/// The review schedule of one exercise under SM-2.
///
/// SM-2 is the SuperMemo 2 algorithm of P. A. Woźniak, "Optimization of Learning", master's thesis,
/// University of Technology in Poznań, 1990, section 3.2: every item starts with an E-Factor of 2.5;
/// after each repetition the answer's quality q (0–5) changes it by `0.1 − (5 − q)(0.08 + (5 − q)·0.02)`,
/// never below 1.3; a correct answer (q ≥ 3) sets the next interval to 1 day after the first
/// repetition, 6 days after the second and `previous × EF` (rounded up) after that; q < 3 starts the
/// repetitions again without changing the E-Factor. Here a miss comes back after `missDelay` (ten
/// minutes) rather than the next day, so that it returns in the same sitting, as SM-2's step 7 asks.
public struct ReviewSchedule: Sendable, Equatable, Codable {
    /// Correct repetitions in a row.
    public var repetitions: Int
    /// The E-Factor (1.3 to 2.5 and above for easy items).
    public var ease: Double
    /// The last interval, in days.
    public var intervalDays: Double
    /// When the exercise is due again (seconds since 1970).
    public var due: Double

    /// A schedule for an exercise never answered.
    public static let new = ReviewSchedule(repetitions: 0, ease: 2.5, intervalDays: 0, due: 0)

    /// Creates a schedule.
    public init(repetitions: Int, ease: Double, intervalDays: Double, due: Double) {
        self.repetitions = repetitions
        self.ease = ease
        self.intervalDays = intervalDays
        self.due = due
    }
}

/// SM-2 (Woźniak 1990, §3.2), with the quality of an answer read from how it was given.
public enum Scheduler {
    /// The lowest E-Factor SM-2 allows.
    public static let minimumEase = 1.3
    /// How soon a missed exercise comes back.
    public static let missDelay: Double = 10 * 60
    /// Seconds in a day.
    public static let day: Double = 86_400

    /// The SM-2 quality of an answer: 5 right at the first try without a hint, 4 right after one
    /// retry or hint, 3 right after more, 2 partly right, 1 wrong, 0 skipped.
    public static func quality(outcome: QuestionOutcome, retries: Int, hints: Int) -> Int {
        switch outcome {
        case .correct:
            let help = retries + hints
            return help == 0 ? 5 : (help == 1 ? 4 : 3)
        case .partial: return 2
        case .wrong: return 1
        case .skipped, .unanswered: return 0
        }
    }

    /// The schedule after an answer of quality `quality` at `now`.
    public static func next(_ schedule: ReviewSchedule, quality: Int, now: Double) -> ReviewSchedule {
        var result = schedule
        let q = Double(min(5, max(0, quality)))
        guard quality >= 3 else {
            result.repetitions = 0
            result.intervalDays = 0
            result.due = now + missDelay
            return result
        }
        result.ease = max(minimumEase, schedule.ease + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)))
        result.repetitions = schedule.repetitions + 1
        switch result.repetitions {
        case 1: result.intervalDays = 1
        case 2: result.intervalDays = 6
        default: result.intervalDays = (max(1, schedule.intervalDays) * schedule.ease).rounded(.up)
        }
        result.intervalDays = min(result.intervalDays, 36_500)
        result.due = now + result.intervalDays * day
        return result
    }
}
