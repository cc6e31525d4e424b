import Foundation
import Yams

/// The order of the lessons, from `lessons/course.yaml`:
///
/// ```yaml
/// lessons:
///   - attention
///   - multi-head
///   - kv-cache
/// ```
///
/// A name with no `lessons/NAME.md` is skipped and reported by `check`; a lesson file the course
/// does not name comes after the named ones, by name, and is reported too. Without the file the
/// lessons are in name order.
public struct Course: Sendable {
    /// Lesson names in course order, as the file lists them.
    public var order: [String]
    /// What is wrong with the file, for `check`.
    public var problems: [String]

    /// The course of a content folder: `root/lessons/course.yaml` read (an empty order without the file).
    public static func load(root: URL) -> Course {
        let url = root.appendingPathComponent("lessons/course.yaml")
        guard let data = FileManager.default.contents(atPath: url.path) else { return Course(order: [], problems: []) }
        let text = String(decoding: data, as: UTF8.self)
        do {
            guard let object = try Yams.load(yaml: text) as? [String: Any], let names = object["lessons"] as? [Any] else {
                return Course(order: [], problems: ["\(url.path): expected `lessons:` followed by a list of lesson names (`- multi-head`)"])
            }
            var order: [String] = []
            var problems: [String] = []
            for name in names {
                guard let name = name as? String, !name.isEmpty else {
                    problems.append("\(url.path): every entry of `lessons:` must be a lesson name")
                    continue
                }
                if order.contains(name) { problems.append("\(url.path): `\(name)` is listed twice") } else { order.append(name) }
            }
            return Course(order: order, problems: problems)
        } catch {
            return Course(order: [], problems: ["\(url.path): not valid YAML (\(error)); lessons are shown in name order"])
        }
    }

    /// `lessons` in course order: the named ones first, in the file's order, then the rest by name.
    public func ordered(_ lessons: [LessonEntry]) -> [LessonEntry] {
        let rank = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return lessons.sorted { a, b in
            switch (rank[a.name], rank[b.name]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.name < b.name
            }
        }
    }

    /// Names in the course without a lesson file, and lesson files the course does not name (when it names any).
    public func mismatches(_ lessons: [LessonEntry], root: URL) -> [String] {
        var problems = self.problems
        let names = Set(lessons.map(\.name))
        let file = root.appendingPathComponent("lessons/course.yaml").path
        for name in order where !names.contains(name) {
            problems.append("\(file): lists `\(name)`, but there is no lessons/\(name).md; it is skipped")
        }
        if !order.isEmpty {
            for lesson in lessons where !order.contains(lesson.name) {
                problems.append("\(file): does not list lessons/\(lesson.name).md; it is shown after the listed lessons")
            }
        }
        return problems
    }
}
