import Foundation
import Exercises
import Progress
import MarkdownTerminal

/// The course map: lessons read, mastery per topic, reviews due, the streak, and what to do next.
public struct CourseMap {
    /// One lesson: its name, title and when it was read (seconds since 1970), if it was.
    public struct LessonLine {
        public var name: String
        public var title: String
        public var readAt: Double?
    }

    /// One topic or set: how many of its exercises are mastered, of how many.
    public struct TopicLine {
        public var topic: String
        public var mastered: Int
        public var total: Int
    }

    public var lessons: [LessonLine]
    public var topics: [TopicLine]
    public var sets: [TopicLine]
    public var exercises: [BankEntry]
    public var progress: ProgressSnapshot
    public var now: Date
    /// Exercises due now.
    public var dueNow: Int
    /// Due later on each of seven days from today (today's count excludes what is due now), by day start.
    public var upcoming: [(day: Date, count: Int)]
    public var streak: Int
    public var next: String
    public var nextReason: String
    public var calendar: Calendar

    /// The map of `lessons` (name and title, in course order) and `exercises` as `progress` records them at `now`.
    public init(lessons entries: [(name: String, title: String)], exercises: [BankEntry], progress: ProgressSnapshot, now: Date,
                calendar: Calendar = .current) {
        self.exercises = exercises
        self.calendar = calendar
        self.progress = progress
        self.now = now
        lessons = entries.map { LessonLine(name: $0.name, title: $0.title, readAt: progress.lessonsRead[$0.name]) }
        func group(_ key: (BankEntry) -> [String]) -> [TopicLine] {
            var byName: [String: (Int, Int)] = [:]
            var order: [String] = []
            for exercise in exercises {
                for name in Set(key(exercise)) {
                    if byName[name] == nil { order.append(name) }
                    let mastered = progress.states[exercise.key]?.mastered == true ? 1 : 0
                    byName[name, default: (0, 0)].0 += mastered
                    byName[name, default: (0, 0)].1 += 1
                }
            }
            return order.sorted().map { TopicLine(topic: $0, mastered: byName[$0]?.0 ?? 0, total: byName[$0]?.1 ?? 0) }
        }
        topics = group { $0.tags.isEmpty ? [$0.set] : $0.tags }
        sets = group { [$0.set] }
        let time = now.timeIntervalSince1970
        let states = exercises.compactMap { progress.states[$0.key] }.filter { $0.seen > 0 }
        dueNow = states.filter { $0.isDue(at: time) }.count
        let today = calendar.startOfDay(for: now)
        upcoming = (0..<7).compactMap { offset -> (Date, Int)? in
            guard let start = calendar.date(byAdding: .day, value: offset, to: today),
                  let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
            let range = start.timeIntervalSince1970..<end.timeIntervalSince1970
            return (start, states.filter { $0.schedule.due > time && range.contains($0.schedule.due) }.count)
        }
        streak = progress.streakDays(now: now, calendar: calendar)
        let unseen = exercises.filter { (progress.states[$0.key]?.seen ?? 0) == 0 }.count
        let weak = states.filter { !$0.mastered && !$0.isDue(at: time) }.count
        if let unread = lessons.first(where: { $0.readAt == nil }), states.isEmpty || unread.name == lessons.first?.name {
            next = "mhalearn lesson \(unread.name)"
            nextReason = "read “\(unread.title)” first"
        } else if let open = progress.resumable {
            next = "mhalearn practice --resume"
            nextReason = "finish the session that stopped at question \(open.position + 1) of \(open.plan.count)"
        } else if dueNow > 0 {
            next = "mhalearn practice"
            nextReason = "\(dueNow) review\(dueNow == 1 ? "" : "s") due"
        } else if unseen > 0 {
            next = "mhalearn practice"
            nextReason = "\(unseen) exercise\(unseen == 1 ? "" : "s") not tried yet"
        } else if let unread = lessons.first(where: { $0.readAt == nil }) {
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
        if seconds < 3600 { return "in \(max(1, Int((seconds / 60).rounded(.up)))) minutes" }
        if seconds < 86_400 { return "in \(Int((seconds / 3600).rounded(.up))) hours" }
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

    /// The map as text; `detail` adds sets, the weakest exercises and the progress file.
    public func text(style: TerminalStyle, width: Int, detail: Bool, file: String) -> String {
        var text = style.bold("Your course") + "\n\n" + style.bold("Lessons") + "\n"
        if lessons.isEmpty { text += "  (no lessons found)\n" }
        let nameWidth = lessons.map { displayWidth($0.name) }.max() ?? 0
        for lesson in lessons {
            let mark = lesson.readAt == nil ? "·" : style.foreground(.green, "✓")
            let pad = String(repeating: " ", count: nameWidth - displayWidth(lesson.name) + 2)
            let read = lesson.readAt.map { "read " + String(ProgressClock.format($0).prefix(10)) } ?? "not read"
            text += "  \(mark) \(sanitize(lesson.name))\(pad)\(sanitize(lesson.title)) " + style.dim("(\(read))") + "\n"
        }
        func table(_ title: String, _ lines: [TopicLine]) -> String {
            var text = "\n" + style.bold(title) + "\n"
            let widest = lines.map { displayWidth($0.topic) }.max() ?? 0
            for line in lines {
                let pad = String(repeating: " ", count: widest - displayWidth(line.topic) + 2)
                text += "  \(sanitize(line.topic))\(pad)\(Self.bar(line.mastered, of: line.total))  \(line.mastered) of \(line.total) mastered\n"
            }
            return text
        }
        text += table("Topics", topics)
        if detail { text += table("Sets", sets) }
        text += "\n" + style.bold("Reviews") + "  \(dueNow) due now"
        let coming = upcoming.reduce(0) { $0 + $1.count }
        text += coming == 0 ? ", none in the next 7 days" : ", \(coming) in the next 7 days"
        if coming > 0 {
            let days = upcoming.filter { $0.count > 0 }.map { "\(dayLabel($0.day)): \($0.count)" }
            text += " (" + days.joined(separator: ", ") + ")"
        }
        text += "\n" + style.bold("Streak") + "   \(streak) day\(streak == 1 ? "" : "s") practised in a row\n"
        if detail {
            let weakest = exercises.compactMap { exercise in progress.states[exercise.key].map { (exercise, $0) } }
                .filter { !$0.1.mastered }.sorted { $0.1.weakness > $1.1.weakness }.prefix(5)
            if !weakest.isEmpty {
                text += "\n" + style.bold("Weakest") + "\n"
                for (exercise, state) in weakest {
                    text += "  \(exercise.id): right at the first try \(state.firstTryCorrect) of \(state.seen), due \(Self.when(state.schedule.due, now: now))\n"
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
        return [
            "file": file,
            "now": ProgressClock.format(time),
            "lessons": lessons.map { ["name": $0.name, "title": $0.title, "read": $0.readAt != nil,
                                      "read_at": $0.readAt.map { ProgressClock.format($0) as Any } ?? NSNull()] as [String: Any] },
            "topics": topics.map { ["topic": $0.topic, "mastered": $0.mastered, "total": $0.total] as [String: Any] },
            "sets": sets.map { ["set": $0.topic, "mastered": $0.mastered, "total": $0.total] as [String: Any] },
            "exercises": exercises.map { exercise -> [String: Any] in
                let state = progress.states[exercise.key]
                let seen = (state?.seen ?? 0) > 0
                return [
                    "id": exercise.id, "set": exercise.set, "tags": exercise.tags,
                    "mastered": state?.mastered ?? false, "learned": state?.learned ?? false,
                    "seen": state?.seen ?? 0, "first_try_correct": state?.firstTryCorrect ?? 0,
                    "correct": state?.correct ?? 0, "attempts": state?.attempts ?? 0,
                    "due": seen ? (state.map { ProgressClock.format($0.schedule.due) as Any } ?? NSNull()) : NSNull(),
                    "due_now": seen && (state?.isDue(at: time) ?? false),
                    "last_seen": seen ? (state.map { ProgressClock.format($0.lastSeen) as Any } ?? NSNull()) : NSNull(),
                ]
            },
            "due_now": dueNow,
            "due_next_7_days": upcoming.map { ["date": dayLabel($0.day), "count": $0.count] as [String: Any] },
            "streak_days": streak,
            "sessions": progress.sessions.count,
            "next": next,
            "next_reason": nextReason,
        ]
    }
}
