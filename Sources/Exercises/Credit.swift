import Foundation

/// How much a question counts in the session score.
///
/// The grade's credit (1 for a right answer, the share earned for a partly right multi-choice one)
/// is halved for every retry and every hint asked for: right at the first try counts 1, right at the
/// second try or after one hint 0.5, right at the third try 0.25. Skipped or wrong counts 0.
public enum Credit {
    /// The credit of a question whose best grade scored `best` after `attempts` graded attempts and `hints` hints.
    public static func value(best: Double, attempts: Int, hints: Int) -> Double {
        guard best > 0, best.isFinite else { return 0 }
        let help = max(0, attempts - 1) + max(0, hints)
        return min(1, best) / pow(2, Double(min(help, 30)))
    }
}

extension Credit {
    /// How a question ends when `grades` are its answers in order, counted as practice counts them:
    /// an unreadable answer costs no attempt, a right answer ends the question, and at most
    /// `allowed` answers are graded. `score` is 1 when right, else the last graded answer's partial
    /// credit; `used` the graded attempts; `counted` how many of `grades` were taken (the rest came
    /// after the question was over).
    public static func replay(_ grades: [Grade], allowed: Int) -> (score: Double, used: Int, counted: Int, firstCorrect: Bool) {
        var used = 0
        var last = 0.0
        var counted = 0
        var firstCorrect = false
        for grade in grades {
            guard used < allowed, last < 1 else { break }
            counted += 1
            guard grade.outcome != .unreadable else { continue }
            used += 1
            if used == 1 { firstCorrect = grade.outcome == .correct }
            last = grade.outcome == .correct ? 1 : grade.score
        }
        return (last, used, counted, firstCorrect)
    }
}
