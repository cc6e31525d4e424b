import AttentionCore
import ExpressionLanguage

/// The dimension flow of a run: every step with the shape it produced (`show run.flow`).
public struct FlowValue: ValueObject {
    /// The steps in the order they ran.
    public var steps: [TraceStep]
    /// A heading for the diagram.
    public var title: String
    /// What the symbols stand for in this run, e.g. `T = 11, d_model = 768, h = 12, d_k = 64`.
    public var legend: String

    /// The flow of `run`.
    public init(run: AttentionRun, title: String) {
        steps = run.trace.steps
        self.title = title
        let c = run.config
        var parts = ["T = \(run.tokens)"]
        if run.isCross { parts.append("S = \(run.sourceTokens)") }
        parts += ["d_model = \(c.dModel)", "h = \(c.heads)"]
        if c.kvHeads != c.heads { parts.append("kv = \(c.kvHeads)") }
        if c.groupSize > 1 { parts.append("g = \(c.groupSize)") }
        parts.append("d_k = \(c.headDim)")
        if c.isLatent { parts.append("r = \(c.kvLoraRank)") }
        if c.ropeDim > 0 { parts.append("d_r = \(c.ropeDim)") }
        legend = parts.joined(separator: ", ")
    }

    /// A short noun for messages.
    public var typeName: String { "dimension flow" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["steps", "shapes"] }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "steps": return .list(steps.map { .string($0.name) })
        case "shapes": return .list(steps.map { .shape($0.shape) })
        default: return nil
        }
    }

    /// One line describing the value.
    public var summary: String {
        steps.map { "\($0.name) \(Value.shape($0.shape))" }.joined(separator: " → ")
    }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        (other as? FlowValue)?.steps == steps
    }
}

/// A grid of numbers shown as shaded cells (`show run.weights_from("it")`).
public struct HeatmapValue: ValueObject {
    /// A heading for the heatmap.
    public var title: String
    /// One label per row.
    public var rowLabels: [String]
    /// One label per column.
    public var columnLabels: [String]
    /// `values[row][column]`.
    public var values: [[Double]]

    /// A heatmap of `values` (rows × columns) with its labels.
    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]]) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
    }

    /// A short noun for messages.
    public var typeName: String { "heatmap" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["values", "rows", "columns", "max", "min"] }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "values": return .list(values.map { .list($0.map(Value.decimal)) })
        case "rows": return .list(rowLabels.map(Value.string))
        case "columns": return .list(columnLabels.map(Value.string))
        case "max": return .decimal(values.joined().max() ?? 0)
        case "min": return .decimal(values.joined().min() ?? 0)
        default: return nil
        }
    }

    /// The item at `index` along the first axis.
    public func element(at index: Int) throws -> Value? {
        guard index < values.count else {
            throw FunctionError("row \(index) is out of range: this heatmap has \(values.count) rows, numbered from 0.")
        }
        return .list(values[index].map(Value.decimal))
    }

    /// One line describing the value.
    public var summary: String { title }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? HeatmapValue else { return false }
        return other.values == values && other.rowLabels == rowLabels && other.columnLabels == columnLabels
    }
}

/// A small table of values with a header row (`show table(["variant", "bytes"], ["MHA", 64], …)`).
public struct TableValue: ValueObject {
    /// The column headings.
    public var header: [String]
    /// The rows, each as long as the header.
    public var rows: [[Value]]

    /// A table with `header` and `rows`.
    public init(header: [String], rows: [[Value]]) {
        self.header = header
        self.rows = rows
    }

    /// A short noun for messages.
    public var typeName: String { "table" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["header", "rows"] }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "header": return .list(header.map(Value.string))
        case "rows": return .list(rows.map(Value.list))
        default: return nil
        }
    }

    /// The item at `index` along the first axis.
    public func element(at index: Int) throws -> Value? {
        guard index < rows.count else {
            throw FunctionError("row \(index) is out of range: this table has \(rows.count) rows, numbered from 0.")
        }
        return .list(rows[index])
    }

    /// One line describing the value.
    public var summary: String {
        ([header.joined(separator: " | ")] + rows.map { $0.map(\.description).joined(separator: " | ") }).joined(separator: "; ")
    }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? TableValue else { return false }
        return other.header == header && other.rows == rows
    }
}

/// A sentence of prose that belongs to a value, as `real.caption("…")` returns it: `show` prints it
/// as an ordinary paragraph, and when the value it hangs on is skipped (no model installed), the
/// prose is skipped with it, so a lesson never describes a grid the learner cannot see.
public struct ProseValue: ValueObject {
    /// The text, shown as written.
    public let text: String

    /// A paragraph of `text`.
    public init(text: String) { self.text = text }

    /// A short noun for messages.
    public var typeName: String { "caption" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["text"] }
    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? { name == "text" ? .string(text) : nil }
    /// One line describing the value.
    public var summary: String { text }
    /// Whether `other` is the same text.
    public func isEqual(to other: any ValueObject) -> Bool { (other as? ProseValue)?.text == text }
}
