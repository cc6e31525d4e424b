import Foundation
import Testing
@testable import Progress
@testable import Exercises

let minute: Double = 60
let day = Scheduler.day

@Test("ratings: right at the first try Good; after a retry or a hint Hard; wrong, partly right or skipped Again")
func ratings() {
    #expect(Rating(outcome: .correct, attempts: 1, hints: 0) == .good)
    #expect(Rating(outcome: .correct, attempts: 2, hints: 0) == .hard)
    #expect(Rating(outcome: .correct, attempts: 1, hints: 1) == .hard)
    #expect(Rating(outcome: .partial, attempts: 3, hints: 0) == .again)
    #expect(Rating(outcome: .wrong, attempts: 3, hints: 0) == .again)
    #expect(Rating(outcome: .skipped, attempts: 0, hints: 0) == .again)
}

@Test("a new exercise learns in steps of minutes: Good after 10 minutes, then days from its stability")
func learningSteps() {
    let fsrs = Scheduler()
    let first = fsrs.next(.new, rating: .good, now: 0)
    #expect(first.phase == .learning && first.step == 1 && first.due == 10 * minute)
    #expect(first.stability == Scheduler.defaultParameters[2])
    let second = fsrs.next(first, rating: .good, now: 10 * minute)
    #expect(second.phase == .review && second.step == nil)
    #expect(second.due == 10 * minute + 2 * day)
    let missed = fsrs.next(.new, rating: .again, now: 0)
    #expect(missed.phase == .learning && missed.step == 0 && missed.due == minute)
}

@Test("a lapse: a review missed falls in stability and comes back the same day, ten minutes later")
func lapseComesBackSameDay() {
    let fsrs = Scheduler()
    var schedule = fsrs.next(fsrs.next(.new, rating: .good, now: 0), rating: .good, now: 10 * minute)
    schedule = fsrs.next(schedule, rating: .good, now: schedule.due)
    let before = schedule.stability ?? 0
    let lapse = fsrs.next(schedule, rating: .again, now: schedule.due)
    #expect(lapse.phase == .relearning && lapse.step == 0)
    #expect(lapse.due == schedule.due + 10 * minute)
    #expect((lapse.stability ?? .infinity) < before)
}

@Test("retrievability is 90 % one stability after the last review, and a higher desired retention shortens the interval")
func retrievabilityAndRetention() {
    let schedule = ReviewSchedule(phase: .review, step: nil, stability: 10, difficulty: 5, due: 0, lastReview: 0)
    #expect(abs(Scheduler().retrievability(schedule, at: 10 * day) - 0.9) < 1e-12)
    #expect(Scheduler().retrievability(schedule, at: 0) == 1)
    #expect(Scheduler().nextInterval(10) == 10)
    #expect(Scheduler(desiredRetention: 0.95).nextInterval(10) < 10)
    #expect(Scheduler(desiredRetention: 0.8).nextInterval(10) > 10)
    #expect(Scheduler().retrievability(.new, at: 100) == 0)
}

@Test("credit halves with every retry and every hint asked for")
func creditRule() {
    #expect(Credit.value(best: 1, attempts: 1, hints: 0) == 1)
    #expect(Credit.value(best: 1, attempts: 2, hints: 0) == 0.5)
    #expect(Credit.value(best: 1, attempts: 1, hints: 1) == 0.5)
    #expect(Credit.value(best: 1, attempts: 3, hints: 0) == 0.25)
    #expect(Credit.value(best: 0.5, attempts: 1, hints: 0) == 0.5)
    #expect(Credit.value(best: 0, attempts: 1, hints: 0) == 0)
    #expect(Credit.value(best: .nan, attempts: 1, hints: 0) == 0)
}

@Test("MHALEARN_NOW overrides the clock with an ISO 8601 time or date, and anything else is refused")
func clockOverride() throws {
    #expect(try ProgressClock.now(environment: ["MHALEARN_NOW": "2026-12-01T09:00:00Z"]).timeIntervalSince1970 == 1_796_115_600)
    #expect(try ProgressClock.now(environment: ["MHALEARN_NOW": "2026-12-01"]).timeIntervalSince1970 == 1_796_083_200)
    #expect(throws: ProgressError.self) { try ProgressClock.now(environment: ["MHALEARN_NOW": "tomorrow"]) }
    #expect(abs(try ProgressClock.now(environment: [:]).timeIntervalSinceNow) < 60)
}

@Test("the streak counts days practised in a row, up to today or yesterday")
func streak() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    var snapshot = ProgressSnapshot()
    let day = Scheduler.day
    let today = noon.timeIntervalSince1970
    snapshot.answerTimes = [today - 3 * day, today - 2 * day, today - day, today - day + 60]
    #expect(snapshot.streakDays(now: noon, calendar: calendar) == 3)
    snapshot.answerTimes.append(today)
    #expect(snapshot.streakDays(now: noon, calendar: calendar) == 4)
    #expect(snapshot.streakDays(now: noon.addingTimeInterval(3 * day), calendar: calendar) == 0)
}
