import MarkdownTerminal
import LiveValues
import ExpressionLanguage

/// Renders the Markdown of questions, options, hints and explanations for the terminal.
public struct PromptRenderer: Sendable {
    /// The terminal renderer underneath.
    public var renderer: TerminalRenderer

    /// A renderer for `width` columns, with or without colour.
    public init(width: Int, color: Bool) {
        renderer = TerminalRenderer(width: width, color: color)
    }

    /// The Markdown `text` as terminal lines (each ending in a newline).
    public func render(_ text: String) -> String {
        renderer.render(markdown: text)
    }

    /// The question's prompt, then its options lettered `a)`, `b)` … and any tolerance note.
    public func render(_ question: Question) -> String {
        render(PromptRenderer.markdown(for: question))
    }

    /// The Markdown `render(_:)` shows for `question`: prompt, lettered options, tolerance note.
    public static func markdown(for question: Question) -> String {
        var markdown = question.prompt
        if !question.options.isEmpty {
            markdown += "\n\n"
            for (index, option) in question.options.enumerated() {
                markdown += "- \(PresentedOption.letter(index))) \(option.text.replacingOccurrences(of: "\n", with: " "))\n"
            }
            if question.exercise.kind == .multi {
                markdown += "\nChoose every option that is right (for example `a, c`).\n"
            }
        }
        if let note = question.toleranceNote {
            markdown += "\n\n\(note)\n"
        }
        return markdown
    }
}
