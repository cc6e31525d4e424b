/// Renders a `MarkdownDocument` as terminal text at a given width.
///
/// Prose wraps to `min(width, maxProseWidth)` display columns, quote bars and list indents
/// included; code blocks and custom blocks may use the full width and are never re-wrapped
/// (a code line longer than the width is cut at the width and continued on a line marked `┆`).
public struct TerminalRenderer: Sendable {
    /// The terminal width in display columns; no rendered line is wider.
    public var width: Int
    /// The widest measure prose is wrapped to, however wide the terminal.
    public var maxProseWidth: Int
    /// How styles, colours and hyperlinks are written (plain text when colour is off).
    public var style: TerminalStyle

    /// Creates a renderer; `hyperlinks` writes links as OSC 8 hyperlinks and only applies when `color` is on.
    public init(width: Int, color: Bool, hyperlinks: Bool = false, maxProseWidth: Int = 100) {
        self.width = max(1, width)
        self.maxProseWidth = max(1, maxProseWidth)
        self.style = TerminalStyle(color: color, hyperlinks: hyperlinks)
    }

    /// The document as terminal text: lines joined by newlines, ending with one newline.
    public func render(_ document: MarkdownDocument) -> String {
        let lines = self.lines(document.blocks)
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// Parses and renders CommonMark text.
    public func render(markdown: String) -> String {
        render(MarkdownDocument(parsing: markdown))
    }

    /// The rendered lines of `blocks`, without line endings.
    public func lines(_ blocks: [Block]) -> [String] {
        var walker = TerminalWalker(width: width, measure: min(width, maxProseWidth), style: style)
        walker.visit(blocks, tight: false)
        return walker.result
    }

    /// The rendered lines of inline content wrapped as a paragraph.
    public func lines(_ inlines: [Inline]) -> [String] {
        lines([.paragraph(inlines, position: SourcePosition(line: 1, column: 1))])
    }
}

/// Walks the blocks of a document and writes terminal lines into `result`, one `visit…` method per node kind.
struct TerminalWalker {
    let width: Int
    let measure: Int
    let style: TerminalStyle
    private(set) var result: [String] = []

    /// What goes in front of every line at one nesting level: a quote bar, or a list marker then its hanging indent.
    private struct Prefix {
        var first: String
        var rest: String
        var attributes: TextAttributes
        var started = false
        var width: Int { max(displayWidth(first), displayWidth(rest)) }
    }

    private var prefixes: [Prefix] = []
    private var listDepth = 0

    init(width: Int, measure: Int, style: TerminalStyle) {
        self.width = width
        self.measure = measure
        self.style = style
    }

    private var prefixWidth: Int { prefixes.reduce(0) { $0 + $1.width } }
    /// Prefixes never leave prose less than this many columns; deeper ones are collapsed.
    private var minimumContent: Int { min(20, max(1, measure / 2)) }

    private func fits(_ prefix: Prefix) -> Bool {
        measure - prefixWidth - prefix.width >= minimumContent
    }

    private var proseWidth: Int { max(1, measure - prefixWidth) }
    private var fullWidth: Int { max(1, width - prefixWidth) }

    // MARK: Lines and prefixes

    private mutating func emit(_ content: String) {
        var pieces = prefixes.map { (text: $0.started ? $0.rest : $0.first, attributes: $0.attributes) }
        if content.isEmpty {
            while let last = pieces.last {
                let trimmed = String(last.text.reversed().drop { $0 == " " }.reversed())
                if trimmed.isEmpty {
                    pieces.removeLast()
                } else {
                    pieces[pieces.count - 1].text = trimmed
                    break
                }
            }
        }
        let prefix = pieces.map { $0.text.allSatisfy { $0 == " " } ? $0.text : style.apply($0.attributes, to: $0.text) }
        result.append(prefix.joined() + content)
        for index in prefixes.indices { prefixes[index].started = true }
    }

    private mutating func withPrefix(_ prefix: Prefix, _ body: (inout TerminalWalker) -> Void) {
        prefixes.append(prefix)
        body(&self)
        if prefixes.last?.started == false { emit("") }
        prefixes.removeLast()
    }

    // MARK: Blocks

    mutating func visit(_ blocks: [Block], tight: Bool) {
        for (index, block) in blocks.filter({ !TerminalWalker.isDropped($0) }).enumerated() {
            if index > 0, !tight { emit("") }
            visit(block)
        }
    }

    mutating func visit(_ block: Block) {
        switch block {
        case let .heading(level, content, _): visitHeading(level: level, content: content)
        case let .paragraph(content, _): visitParagraph(content)
        case let .blockQuote(children, _): visitBlockQuote(children)
        case let .list(list, _): visitList(list)
        case let .codeBlock(info, code, _): visitCodeBlock(info: info, code: code)
        case let .htmlBlock(html, _): visitHTMLBlock(html)
        case .thematicBreak: visitThematicBreak()
        case let .custom(content, _): visitCustom(content)
        }
    }

    mutating func visitHeading(level: Int, content: [Inline]) {
        let look = TerminalWalker.headingAttributes(level: level)
        var runs = spans(content, base: look)
        if level >= 3 {
            runs.insert(StyledText(String(repeating: "#", count: level) + " ", attributes: TextAttributes(bold: true, dim: true)), at: 0)
        }
        let lines = Wrapper.wrap(runs, width: proseWidth)
        for line in lines { emit(Wrapper.styled(line, style: style)) }
        guard level <= 2 else { return }
        let underline = lines.map { displayWidth(Wrapper.plain($0)) }.max() ?? 0
        let rule = String(repeating: level == 1 ? "═" : "─", count: min(max(underline, 3), proseWidth))
        emit(style.apply(TextAttributes(foreground: look.foreground), to: rule))
    }

    static func headingAttributes(level: Int) -> TextAttributes {
        switch level {
        case 1: return TextAttributes(bold: true, foreground: .magenta)
        case 2: return TextAttributes(bold: true, foreground: .cyan)
        case 3: return TextAttributes(bold: true, foreground: .blue)
        case 4: return TextAttributes(bold: true)
        case 5: return TextAttributes(bold: true, italic: true)
        default: return TextAttributes(italic: true)
        }
    }

    mutating func visitParagraph(_ content: [Inline]) {
        for line in Wrapper.wrap(spans(content, base: .plain), width: proseWidth) {
            emit(Wrapper.styled(line, style: style))
        }
    }

    mutating func visitBlockQuote(_ children: [Block]) {
        let bar = Prefix(first: "│ ", rest: "│ ", attributes: TextAttributes(dim: true))
        guard fits(bar) else { return visit(children, tight: false) }
        withPrefix(bar) { walker in
            walker.visit(children, tight: false)
        }
    }

    mutating func visitList(_ list: MarkdownList) {
        let markers: [String]
        switch list.kind {
        case .bullet:
            let bullet = ["•", "◦", "▪"][listDepth % 3]
            markers = Array(repeating: bullet, count: list.items.count)
        case let .ordered(start, delimiter):
            let numbers = list.items.indices.map { "\(start + $0)\(delimiter)" }
            let widest = numbers.map(\.count).max() ?? 0
            markers = numbers.map { String(repeating: " ", count: widest - $0.count) + $0 }
        }
        listDepth += 1
        for (index, item) in list.items.enumerated() {
            if index > 0, !list.isTight { emit("") }
            let marker = markers[index] + " "
            let prefix = Prefix(first: marker, rest: String(repeating: " ", count: displayWidth(marker)),
                                attributes: TextAttributes(bold: true, foreground: .cyan))
            guard fits(prefix) else {
                emit(style.apply(prefix.attributes, to: marker.trimmingSpaces))
                visit(item.blocks, tight: list.isTight)
                continue
            }
            withPrefix(prefix) { walker in
                walker.visit(item.blocks, tight: list.isTight)
            }
        }
        listDepth -= 1
    }

    mutating func visitCodeBlock(info: String?, code: String, isHTML: Bool = false) {
        let frame = TextAttributes(dim: true)
        let label = sanitize(info ?? "").trimmingSpaces
        if !isHTML {
            let top = hardSplit(label.isEmpty ? "╭─" : "╭─ " + label, width: fullWidth)
            for piece in top { emit(style.apply(frame, to: piece)) }
        }
        var body = sanitize(code)
        if body.hasSuffix("\n") { body.removeLast() }
        let gutter = isHTML ? "" : "│ "
        let look = isHTML ? TextAttributes(dim: true) : TextAttributes(foreground: .yellow)
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line).trimmingTrailingSpaces
            let pieces = hardSplit(text, width: max(1, fullWidth - displayWidth(gutter)))
            for (index, piece) in pieces.map(\.trimmingTrailingSpaces).enumerated() {
                let mark = index == 0 ? gutter : (isHTML ? "" : "┆ ")
                let content = piece.isEmpty ? style.apply(frame, to: mark.trimmingTrailingSpaces)
                    : style.apply(frame, to: mark) + style.apply(look, to: piece)
                emit(content)
            }
        }
        if !isHTML { emit(style.apply(frame, to: "╰─")) }
    }

    mutating func visitHTMLBlock(_ html: String) {
        visitCodeBlock(info: nil, code: html.trimming([" ", "\n"]), isHTML: true)
    }

    /// HTML comments are dropped: authors use them for notes that readers should not see.
    static func isDropped(_ block: Block) -> Bool {
        guard case let .htmlBlock(html, _) = block else { return false }
        let trimmed = html.trimming([" ", "\n"])
        return trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->")
    }

    mutating func visitThematicBreak() {
        emit(style.apply(TextAttributes(dim: true), to: String(repeating: "─", count: proseWidth)))
    }

    mutating func visitCustom(_ content: any TerminalBlock) {
        let available = fullWidth
        for line in content.lines(width: available, style: style).flatMap({ $0.split(separator: "\n", omittingEmptySubsequences: false) }) {
            for piece in hardSplit(String(line).trimmingTrailingSpaces, width: available) { emit(piece.trimmingTrailingSpaces) }
        }
    }

    // MARK: Inlines

    /// The look inline content inherits from its parents: heading style, emphasis, link target.
    struct InlineContext {
        var base: TextAttributes
        var link: String?

        func adding(_ look: TextAttributes) -> InlineContext {
            InlineContext(base: base.merging(look), link: link)
        }

        func run(_ text: String, _ look: TextAttributes = .plain) -> StyledText {
            StyledText(text, attributes: base.merging(look), link: link)
        }
    }

    func spans(_ inlines: [Inline], base: TextAttributes) -> [StyledText] {
        spans(inlines, InlineContext(base: base, link: nil))
    }

    func spans(_ inlines: [Inline], _ context: InlineContext) -> [StyledText] {
        inlines.flatMap { visit($0, context) }
    }

    func visit(_ inline: Inline, _ context: InlineContext) -> [StyledText] {
        switch inline {
        case let .text(text): return visitText(text, context)
        case .softBreak: return visitSoftBreak(context)
        case .lineBreak: return visitLineBreak()
        case let .code(code, _): return visitCode(code, context)
        case let .html(html): return visitInlineHTML(html, context)
        case let .emphasis(children): return visitEmphasis(children, context)
        case let .strong(children): return visitStrong(children, context)
        case let .link(destination, _, content): return visitLink(content, destination: destination, context)
        case let .image(source, _, alt): return visitImage(alt, source: source, context)
        case let .value(value): return visitValue(value, context)
        }
    }

    func visitText(_ text: String, _ context: InlineContext) -> [StyledText] {
        [context.run(sanitize(text))]
    }

    func visitSoftBreak(_ context: InlineContext) -> [StyledText] {
        [context.run(" ")]
    }

    func visitLineBreak() -> [StyledText] {
        [StyledText("\n")]
    }

    func visitCode(_ code: String, _ context: InlineContext) -> [StyledText] {
        let text = sanitize(code)
        return style.colorEnabled ? [context.run(text, TextAttributes(foreground: .yellow))] : [context.run("`" + text + "`")]
    }

    func visitInlineHTML(_ html: String, _ context: InlineContext) -> [StyledText] {
        [context.run(sanitize(html), TextAttributes(dim: true))]
    }

    func visitEmphasis(_ children: [Inline], _ context: InlineContext) -> [StyledText] {
        marked(children, mark: "_", look: TextAttributes(italic: true), context)
    }

    func visitStrong(_ children: [Inline], _ context: InlineContext) -> [StyledText] {
        marked(children, mark: "*", look: TextAttributes(bold: true), context)
    }

    /// With colour, the look; without, the content between plain-text marks (`_emphasis_`, `*strong*`).
    private func marked(_ children: [Inline], mark: String, look: TextAttributes, _ context: InlineContext) -> [StyledText] {
        if style.colorEnabled { return spans(children, context.adding(look)) }
        return [context.run(mark)] + spans(children, context) + [context.run(mark)]
    }

    func visitLink(_ content: [Inline], destination: String, _ context: InlineContext) -> [StyledText] {
        let url = sanitize(destination)
        let look = context.adding(TextAttributes(underline: true, foreground: .blue))
        let linked = InlineContext(base: look.base, link: style.hyperlinksEnabled ? url : nil)
        if content.isEmpty { return [linked.run(url)] }
        var runs = spans(content, linked)
        let text = Inline.plainText(of: content)
        let isAutolink = text == destination || "mailto:" + text == destination
        if !style.hyperlinksEnabled, !isAutolink, !url.isEmpty {
            runs.append(context.run(" (" + url + ")", TextAttributes(dim: true)))
        }
        return runs
    }

    func visitImage(_ alt: [Inline], source: String, _ context: InlineContext) -> [StyledText] {
        let url = sanitize(source)
        let look = context.adding(TextAttributes(italic: true, foreground: .magenta))
        let linked = InlineContext(base: look.base, link: style.hyperlinksEnabled ? url : nil)
        var runs = [linked.run("[image: ")] + spans(alt, linked) + [linked.run("]")]
        if !style.hyperlinksEnabled, !url.isEmpty {
            runs.append(context.run(" (" + url + ")", TextAttributes(dim: true)))
        }
        return runs
    }

    func visitValue(_ value: String, _ context: InlineContext) -> [StyledText] {
        [context.run(sanitize(value), TextAttributes(bold: true, foreground: .cyan))]
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while let last = copy.last, last == " " { copy.removeLast() }
        return copy
    }

    var trimmingSpaces: String {
        trimming([" "])
    }

    func trimming(_ characters: Set<Character>) -> String {
        let start = firstIndex { !characters.contains($0) } ?? endIndex
        let end = lastIndex { !characters.contains($0) }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
