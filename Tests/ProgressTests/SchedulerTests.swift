import Foundation
import Testing
@testable import Progress
@testable import Exercises

@Test("SM-2: right at the first try pushes the review out 1 day, 6 days, then by the E-Factor")
func growingIntervals() {
    var schedule = ReviewSchedule.new
    var intervals: [Double] = []
    for _ in 0..<4 {
        schedule = Scheduler.next(schedule, quality: 5, now: 0)
        intervals.append(schedule.intervalDays)
    }
    #expect(intervals == [1, 6, 17, 48])
    #expect(abs(schedule.ease - 2.9) < 1e-9)
    #expect(schedule.due == 48 * Scheduler.day)
}

@Test("SM-2: a miss brings the exercise back within ten minutes and starts the repetitions again, keeping the E-Factor")
func missComesBackSoon() {
    let learned = Scheduler.next(Scheduler.next(.new, quality: 4, now: 0), quality: 4, now: 0)
    let missed = Scheduler.next(learned, quality: 1, now: 100)
    #expect(missed.repetitions == 0 && missed.due == 100 + 600 && missed.ease == learned.ease)
    #expect(Scheduler.next(missed, quality: 5, now: 0).intervalDays == 1)
}

@Test("the E-Factor never falls below 1.3")
func easeFloor() {
    var schedule = ReviewSchedule.new
    for _ in 0..<20 { schedule = Scheduler.next(schedule, quality: 3, now: 0) }
    #expect(schedule.ease == 1.3)
}

@Test("answer quality: 5 first try, 4 after one retry or hint, 3 after more, 2 partly right, 1 wrong, 0 skipped")
func qualities() {
    #expect(Scheduler.quality(outcome: .correct, retries: 0, hints: 0) == 5)
    #expect(Scheduler.quality(outcome: .correct, retries: 1, hints: 0) == 4)
    #expect(Scheduler.quality(outcome: .correct, retries: 0, hints: 1) == 4)
    #expect(Scheduler.quality(outcome: .correct, retries: 2, hints: 0) == 3)
    #expect(Scheduler.quality(outcome: .partial, retries: 2, hints: 0) == 2)
    #expect(Scheduler.quality(outcome: .wrong, retries: 2, hints: 0) == 1)
    #expect(Scheduler.quality(outcome: .skipped, retries: 0, hints: 0) == 0)
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
