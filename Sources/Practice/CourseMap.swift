import Foundation
import Exercises
import Progress
import MarkdownTerminal

/// The course map, organised by lesson: each lesson read or not, the mastery of its exercises and
/// its reviews due; the streak; a daily nudge from the learner's own pace; what to do next.
/// `progress` adds each lesson's topics one level down and every answered exercise's predicted
/// recall (FSRS retrievability) and next due time.
public struct CourseMap {
    struct LessonLine {
        var name: String
        var title: String
        var readAt: Double?
        var mastered = 0
        var total = 0
        var due = 0
        var topics: [TopicLine] = []
    }

    struct TopicLine {
        var topic: String
        var mastered: Int
        var total: Int
    }

    var lessons: [LessonLine]
    var topics: [TopicLine]
    var sets: [TopicLine]
    var exercises: [BankEntry]
    var progress: ProgressSnapshot
    var now: Date
    /// Reviews due now: one per concept whose latest review is due (siblings count once).
    var dueNow: Int
    /// Reviews falling due on each of seven days from today (today's excludes what is due now), by day start.
    var upcoming: [(day: Date, count: Int)]
    var streak: Int
    var longestStreak: Int
    var next: String
    var nextReason: String
    var calendar: Calendar

    public init(lessons entries: [(name: String, title: String)], exercises: [BankEntry], progress: ProgressSnapshot, now: Date, calendar: Calendar = .current) {
        self.exercises = exercises
        self.calendar = calendar
        self.progress = progress
        self.now = now
        func group(_ members: [BankEntry], _ key: (BankEntry) -> [String]) -> [TopicLine] {
            var byName: [String: (Int, Int)] = [:]
            for exercise in members {
                for name in Set(key(exercise)) {
                    byName[name, default: (0, 0)].0 += progress.states[exercise.key]?.mastered == true ? 1 : 0
                    byName[name, default: (0, 0)].1 += 1
                }
            }
            return byName.keys.sorted().map { TopicLine(topic: $0, mastered: byName[$0]?.0 ?? 0, total: byName[$0]?.1 ?? 0) }
        }
        let concepts = progress.conceptStates(exercises.map { ($0.conceptKey, $0.key) })
        let time = now.timeIntervalSince1970
        func dueConcepts(_ members: [BankEntry]) -> Int {
            Set(members.map(\.conceptKey)).filter { concepts[$0]?.isDue(at: time) == true }.count
        }
        var lines = entries.map { LessonLine(name: $0.name, title: $0.title, readAt: progress.lessonsRead[$0.name]) }
        for index in lines.indices {
            let members = exercises.filter { $0.set == lines[index].name }
            lines[index].total = members.count
            lines[index].mastered = members.filter { progress.states[$0.key]?.mastered == true }.count
            lines[index].due = dueConcepts(members)
            lines[index].topics = group(members) { $0.tags.isEmpty ? [$0.set] : $0.tags }
        }
        let orphans = exercises.filter { exercise in !lines.contains { $0.name == exercise.set } }
        if !orphans.isEmpty {
            var other = LessonLine(name: "(other)", title: "exercises of sets without a lesson", readAt: nil)
            other.total = orphans.count
            other.mastered = orphans.filter { progress.states[$0.key]?.mastered == true }.count
            other.due = dueConcepts(orphans)
            other.topics = group(orphans) { [$0.set] }
            lines.append(other)
        }
        lessons = lines
        topics = group(exercises) { $0.tags.isEmpty ? [$0.set] : $0.tags }
        sets = group(exercises) { [$0.set] }
        dueNow = concepts.values.filter { $0.isDue(at: time) }.count
        let today = calendar.startOfDay(for: now)
        upcoming = (0..<7).compactMap { offset -> (Date, Int)? in
            guard let start = calendar.date(byAdding: .day, value: offset, to: today),
                  let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
            let range = start.timeIntervalSince1970..<end.timeIntervalSince1970
            return (start, concepts.values.filter { $0.schedule.due > time && range.contains($0.schedule.due) }.count)
        }
        streak = progress.streakDays(now: now, calendar: calendar)
        longestStreak = max(streak, progress.longestStreakDays(calendar: calendar))
        let states = exercises.compactMap { progress.states[$0.key] }.filter { $0.seen > 0 }
        let unseen = Set(exercises.filter { concepts[$0.conceptKey] == nil }.map(\.conceptKey)).count
        let weak = concepts.values.filter { !$0.mastered && !$0.isDue(at: time) }.count
        let firstLesson = lines.first { $0.name != "(other)" }
        if let unread = firstLesson, unread.readAt == nil {
            next = "mhalearn lesson \(unread.name)"
            nextReason = "read “\(unread.title)” first"
        } else if let open = progress.resumable {
            next = "mhalearn practice --resume"
            nextReason = "finish the session that stopped at question \(open.position + 1) of \(open.plan.count)"
        } else if dueNow > 0 {
            next = "mhalearn practice"
            nextReason = "\(dueNow) review\(dueNow == 1 ? "" : "s") due"
        } else if let unread = lines.first(where: { $0.readAt == nil && $0.name != "(other)" }),
                  lines.prefix { $0.name != unread.name }.allSatisfy({ $0.total == 0 || $0.mastered * 2 >= $0.total }) {
            next = "mhalearn lesson \(unread.name)"
            nextReason = "the next lesson, “\(unread.title)”"
        } else if unseen > 0 {
            next = "mhalearn practice"
            nextReason = "\(unseen) exercise\(unseen == 1 ? "" : "s") not tried yet"
        } else if let unread = lines.first(where: { $0.readAt == nil && $0.name != "(other)" }) {
            next = "mhalearn lesson \(unread.name)"
            nextReason = "the lesson not read yet"
        } else if weak > 0 {
            next = "mhalearn practice --review"
            nextReason = "\(weak) exercise\(weak == 1 ? "" : "s") not yet mastered"
        } else if let soonest = states.map(\.schedule.due).min() {
            next = "mhalearn practice"
            nextReason = "everything is mastered; the next review is due \(Self.when(soonest, now: now))"
        } else {
            next = "mhalearn practice"
            nextReason = "start practising"
        }
    }

    /// A due time in words: "now", "in 3 hours", "tomorrow", "in 6 days" or a date.
    public static func when(_ due: Double, now: Date) -> String {
        let seconds = due - now.timeIntervalSince1970
        if seconds <= 0 { return "now" }
        if seconds < 3600 {
            let minutes = max(1, Int((seconds / 60).rounded(.up)))
            return "in \(minutes) minute\(minutes == 1 ? "" : "s")"
        }
        if seconds < 86_400 {
            let hours = Int((seconds / 3600).rounded(.up))
            return "in \(hours) hour\(hours == 1 ? "" : "s")"
        }
        let days = Int((seconds / 86_400).rounded(.up))
        if days <= 1 { return "tomorrow" }
        if days <= 60 { return "in \(days) days" }
        return "on " + String(ProgressClock.format(due).prefix(10))
    }

    /// The calendar day that starts at `start`, as YYYY-MM-DD.
    func dayLabel(_ start: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// A bar of `width` cells, `done` of `total` full.
    static func bar(_ done: Int, of total: Int, width: Int = 12) -> String {
        let full = total == 0 ? 0 : min(width, Int((Double(done) / Double(total) * Double(width)).rounded()))
        return String(repeating: "█", count: full) + String(repeating: "░", count: width - full)
    }

    /// `text` cut to `width` display cells, ending in "…" when cut.
    static func clip(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var result = ""
        for character in text {
            if displayWidth(result) + displayWidth(of: character) > width - 1 { break }
            result.append(character)
        }
        return result + "…"
    }

    /// `text` padded on the right to `width` cells.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - displayWidth(text)))
    }

    /// `text` padded on the left to `width` cells.
    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - displayWidth(text))) + text
    }

    /// The daily nudge: reviews due and how long they take at this learner's median pace.
    var nudge: String {
        let pace = progress.medianSeconds
        func minutes(_ count: Int) -> String {
            guard let pace else { return "" }
            return ", about \(max(1, Int((Double(count) * pace / 60).rounded()))) min"
        }
        if dueNow > 0 {
            return "\(dueNow) review\(dueNow == 1 ? "" : "s") due\(minutes(dueNow))" + (pace.map { " (your median: \(max(1, Int($0.rounded()))) s a question)" } ?? "")
        }
        let tomorrow = upcoming.dropFirst().first?.count ?? 0
        let later = upcoming.first?.count ?? 0
        if later > 0 { return "nothing due now; \(later) more fall\(later == 1 ? "s" : "") due later today" }
        return tomorrow > 0 ? "nothing due today; \(tomorrow) review\(tomorrow == 1 ? "" : "s") tomorrow" : "nothing due; new exercises are waiting"
    }

    /// The map as text; `detail` adds each lesson's topics, every answered exercise's recall and
    /// next due time, the reviews of the coming week by day and the progress file.
    public func text(style: TerminalStyle, width: Int, detail: Bool, file: String) -> String {
        let streakText = "streak \(streak) day\(streak == 1 ? "" : "s"), longest \(longestStreak)"
        var text = style.bold("Your course") + "  " + style.dim("(" + streakText + ")") + "\n\n"
        if lessons.isEmpty { text += "  (no lessons found)\n" }
        let nameWidth = max(6, lessons.map { displayWidth($0.name) }.max() ?? 0)
        let barWidth = 8
        let countWidth = max(5, lessons.map { displayWidth("\($0.mastered)/\($0.total)") }.max() ?? 0)
        // mark, name, title, read, bar, count, due: "  ✓ name  title  12-01  ████░░░░  4/14   2"
        let fixed = 4 + nameWidth + 2 + 2 + 5 + 2 + barWidth + 2 + countWidth + 2 + 3
        let titleWidth = max(0, min(lessons.map { displayWidth($0.title) }.max() ?? 0, width - fixed - 1))
        let header = "    " + Self.pad("lesson", nameWidth + 2) + (titleWidth > 0 ? Self.pad("", titleWidth + 2) : "")
            + Self.pad("read", 5 + 2) + Self.pad("mastered", barWidth + 2 + countWidth + 2) + "due"
        text += style.dim(header) + "\n"
        for lesson in lessons {
            let mark = lesson.name == "(other)" ? " " : (lesson.readAt == nil ? "·" : style.foreground(.green, "✓"))
            let read = lesson.readAt.map { String(ProgressClock.format($0).dropFirst(5).prefix(5)) } ?? "—"
            var line = "  \(mark) " + Self.pad(sanitize(lesson.name), nameWidth + 2)
            if titleWidth > 0 { line += Self.pad(Self.clip(sanitize(lesson.title), to: titleWidth), titleWidth + 2) }
            line += Self.pad(read, 5 + 2) + Self.bar(lesson.mastered, of: lesson.total, width: barWidth) + "  "
            line += Self.padLeft("\(lesson.mastered)/\(lesson.total)", countWidth) + "  " + Self.padLeft("\(lesson.due)", 3)
            text += line + "\n"
            if detail {
                let topicWidth = lesson.topics.map { displayWidth($0.topic) }.max() ?? 0
                for topic in lesson.topics {
                    text += "      " + Self.pad(sanitize(topic.topic), topicWidth + 2) + Self.bar(topic.mastered, of: topic.total, width: barWidth)
                        + "  \(topic.mastered) of \(topic.total) mastered\n"
                }
            }
        }
        let coming = upcoming.reduce(0) { $0 + $1.count }
        text += "\n" + style.bold("Reviews") + "  \(dueNow) due now, " + (coming == 0 ? "none" : "\(coming)") + " in the next 7 days"
        if detail && coming > 0 {
            let days = upcoming.filter { $0.count > 0 }.map { "\(dayLabel($0.day).dropFirst(5)): \($0.count)" }
            text += " (" + days.joined(separator: ", ") + ")"
        }
        text += "\n" + style.bold("Today") + "    " + nudge + "\n"
        if detail {
            let answered = exercises.compactMap { exercise in progress.states[exercise.key].map { (exercise, $0) } }
                .filter { $0.1.seen > 0 }
            if !answered.isEmpty {
                let scheduler = progress.scheduler
                let time = now.timeIntervalSince1970
                let rows = answered.map { ($0.0, $0.1, $0.1.retrievability(at: time, scheduler: scheduler)) }
                    .sorted { $0.2 != $1.2 ? $0.2 < $1.2 : $0.0.id < $1.0.id }
                let idWidth = min(max(2, rows.map { displayWidth($0.0.id) }.max() ?? 0), max(8, width - 40))
                text += "\n" + style.bold("Exercises answered") + style.dim("  (recall now: FSRS's prediction; wanted: \(Int((progress.retention * 100).rounded())) %)") + "\n"
                for (exercise, state, recall) in rows {
                    // In FSRS's learning steps an item is not yet on its forgetting curve.
                    let percent = state.schedule.phase == .review ? Self.padLeft("\(Int((recall * 100).rounded())) %", 8) : "learning"
                    let first = "\(state.firstTryCorrect)/\(state.seen)"
                    text += "  " + Self.pad(Self.clip(sanitize(exercise.id), to: idWidth), idWidth + 2) + "recall " + percent
                        + "  first try " + Self.padLeft(first, 5) + "  due " + Self.when(state.schedule.due, now: now) + "\n"
                }
            }
            let sessions = progress.sessions.count
            text += "\n\(sessions) session\(sessions == 1 ? "" : "s") so far (`mhalearn progress --history`). Progress file: \(file)\n"
        }
        text += "\n" + style.bold("Next: ") + style.foreground(.cyan, next) + " — " + nextReason + "\n"
        return TextLayout.fit(text, width: width)
    }

    /// Every figure, for `progress --json`.
    public func json(file: String) -> [String: Any] {
        let time = now.timeIntervalSince1970
        let scheduler = progress.scheduler
        return [
            "file": file,
            "now": ProgressClock.format(time),
            "retention": progress.retention,
            "lessons": lessons.filter { $0.name != "(other)" }.map { lesson -> [String: Any] in
                ["name": lesson.name, "title": lesson.title, "read": lesson.readAt != nil,
                 "read_at": lesson.readAt.map { ProgressClock.format($0) as Any } ?? NSNull(),
                 "mastered": lesson.mastered, "total": lesson.total, "due_now": lesson.due,
                 "topics": lesson.topics.map { ["topic": $0.topic, "mastered": $0.mastered, "total": $0.total] as [String: Any] }]
            },
            "topics": topics.map { ["topic": $0.topic, "mastered": $0.mastered, "total": $0.total] as [String: Any] },
            "sets": sets.map { ["set": $0.topic, "mastered": $0.mastered, "total": $0.total] as [String: Any] },
            "exercises": exercises.map { exercise -> [String: Any] in
                let state = progress.states[exercise.key]
                let seen = (state?.seen ?? 0) > 0
                func value(_ body: (ExerciseState) -> Any?) -> Any { seen ? (state.flatMap(body) ?? NSNull()) : NSNull() }
                return [
                    "id": exercise.id, "set": exercise.set, "tags": exercise.tags, "concept": exercise.concept as Any? ?? NSNull(),
                    "mastered": state?.mastered ?? false, "learned": state?.learned ?? false,
                    "seen": state?.seen ?? 0, "first_try_correct": state?.firstTryCorrect ?? 0,
                    "correct": state?.correct ?? 0, "attempts": state?.attempts ?? 0,
                    "due": value { ProgressClock.format($0.schedule.due) },
                    "due_now": seen && (state?.isDue(at: time) ?? false),
                    "recall": value { $0.retrievability(at: time, scheduler: scheduler) },
                    "stability": value { $0.schedule.stability }, "difficulty": value { $0.schedule.difficulty },
                    "phase": value { ["learning", "review", "relearning"][$0.schedule.phase.rawValue - 1] },
                    "last_seen": value { ProgressClock.format($0.lastSeen) },
                ]
            },
            "due_now": dueNow,
            "due_next_7_days": upcoming.map { ["date": dayLabel($0.day), "count": $0.count] as [String: Any] },
            "streak_days": streak,
            "longest_streak_days": longestStreak,
            "median_seconds": progress.medianSeconds as Any? ?? NSNull(),
            "nudge": nudge,
            "sessions": progress.sessions.count,
            "next": next,
            "next_reason": nextReason,
        ]
    }
}
