import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MarkdownDocument {
    /// Parses CommonMark text into Swift values (cmark's tree is converted and freed at once).
    public init(parsing markdown: String) {
        self = CommonMarkConverter.convert(markdown)
    }
}

/// The only code that touches cmark: parses, copies the tree into Swift values, frees it.
struct CommonMarkConverter {
    static func convert(_ source: String) -> MarkdownDocument {
        let markdown = normalizingLineEndings(source)
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8
        var bytes = Array(markdown.utf8)
        bytes.append(0)
        guard let root = bytes.withUnsafeBufferPointer({ buffer -> OpaquePointer? in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parse_document($0, buffer.count - 1, options) }
            }
        }) else {
            return MarkdownDocument(blocks: [])
        }
        defer { cmark_node_free(root) }
        let converter = CommonMarkConverter(sourceLines: markdown.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) })
        return MarkdownDocument(blocks: converter.blocks(under: root, depth: 0))
    }

    /// The text with CRLF and lone CR line endings turned into LF, so no carriage return reaches a code block.
    static func normalizingLineEndings(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var result = String.UnicodeScalarView()
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasReturn = true
                continue
            }
            if !(scalar == "\n" && previousWasReturn) { result.append(scalar) }
            previousWasReturn = false
        }
        return String(result)
    }

    /// The source as byte lines, to tell fenced code blocks from indented ones.
    private let sourceLines: [[UInt8]]

    private init(sourceLines: [[UInt8]]) {
        self.sourceLines = sourceLines
    }

    /// Where a code span's content starts: cmark's column, moved right past indentation it leaves out on continuation lines.
    private func codePosition(reported: SourcePosition, literal: String) -> SourcePosition {
        guard reported.line <= sourceLines.count else { return reported }
        let line = sourceLines[reported.line - 1]
        let tick = UInt8(ascii: "`"), space = UInt8(ascii: " ")
        let wanted = Array(literal.utf8.prefix(8))
        var index = max(1, reported.column - 1)
        while index < line.count {
            if line[index - 1] == tick, line[index] != tick {
                let rest = line[index...]
                if rest.starts(with: wanted) { return SourcePosition(line: reported.line, column: index + 1) }
                if rest.first == space, rest.dropFirst().starts(with: wanted) {
                    return SourcePosition(line: reported.line, column: index + 2)
                }
            }
            index += 1
        }
        return reported
    }

    private func isFenced(at position: SourcePosition) -> Bool {
        guard position.line <= sourceLines.count else { return false }
        let line = sourceLines[position.line - 1].dropFirst(position.column - 1).drop { $0 == UInt8(ascii: " ") }
        return line.starts(with: Array("```".utf8)) || line.starts(with: Array("~~~".utf8))
    }

    private func children(of node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            result.append(current)
            child = cmark_node_next(current)
        }
        return result
    }

    /// Containers nested deeper than this become one paragraph of their text (no reader needs more, and it bounds recursion).
    static let maxBlockDepth = 16
    /// Inline nodes nested deeper than this become their plain text.
    static let maxInlineDepth = 24

    private func blocks(under node: OpaquePointer, depth: Int) -> [Block] {
        children(of: node).flatMap { blocks(for: $0, depth: depth + 1) }
    }

    private func position(of node: OpaquePointer) -> SourcePosition {
        SourcePosition(line: max(1, Int(cmark_node_get_start_line(node))), column: max(1, Int(cmark_node_get_start_column(node))))
    }

    /// The text under `node`, gathered with cmark's iterator (no recursion, however deep the tree).
    private func plainText(of node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
                text += literal(of: current)
            case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK:
                text += " " + literal(of: current) + " "
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                if !text.isEmpty, !text.hasSuffix(" ") { text += " " }
            default:
                break
            }
        }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    private func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private func blocks(for node: OpaquePointer, depth: Int) -> [Block] {
        let at = position(of: node)
        if depth > CommonMarkConverter.maxBlockDepth {
            return [.paragraph([.text(plainText(of: node))], position: at)]
        }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            return [.heading(level: Int(cmark_node_get_heading_level(node)), content: inlines(under: node, block: at, depth: 0), position: at)]
        case CMARK_NODE_PARAGRAPH:
            return [.paragraph(inlines(under: node, block: at, depth: 0), position: at)]
        case CMARK_NODE_BLOCK_QUOTE:
            return [.blockQuote(blocks(under: node, depth: depth), position: at)]
        case CMARK_NODE_LIST:
            let kind: ListKind
            if cmark_node_get_list_type(node) == CMARK_ORDERED_LIST {
                kind = .ordered(start: Int(cmark_node_get_list_start(node)),
                                delimiter: cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ")" : ".")
            } else {
                kind = .bullet
            }
            let items = children(of: node).map { ListItem(blocks: blocks(under: $0, depth: depth + 1), position: position(of: $0)) }
            return [.list(MarkdownList(kind: kind, isTight: cmark_node_get_list_tight(node) != 0, items: items), position: at)]
        case CMARK_NODE_ITEM:
            return blocks(under: node, depth: depth)
        case CMARK_NODE_CODE_BLOCK:
            let fenced = isFenced(at: at)
            return [.codeBlock(info: fenced ? string(cmark_node_get_fence_info(node)) : nil, code: literal(of: node), position: at)]
        case CMARK_NODE_HTML_BLOCK:
            return [.htmlBlock(literal(of: node), position: at)]
        case CMARK_NODE_THEMATIC_BREAK:
            return [.thematicBreak(position: at)]
        case CMARK_NODE_CUSTOM_BLOCK:
            return blocks(under: node, depth: depth)
        default:
            return []
        }
    }

    private func inlines(under node: OpaquePointer, block: SourcePosition, depth: Int) -> [Inline] {
        children(of: node).flatMap { inlines(for: $0, block: block, depth: depth + 1) }
    }

    private func inlines(for node: OpaquePointer, block: SourcePosition, depth: Int) -> [Inline] {
        if depth > CommonMarkConverter.maxInlineDepth { return [.text(plainText(of: node))] }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT:
            return [.text(literal(of: node))]
        case CMARK_NODE_SOFTBREAK:
            return [.softBreak]
        case CMARK_NODE_LINEBREAK:
            return [.lineBreak]
        case CMARK_NODE_CODE:
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            let code = literal(of: node)
            let at = line > 0 && column > 0 ? codePosition(reported: SourcePosition(line: line, column: column), literal: code) : block
            return [.code(code, position: at)]
        case CMARK_NODE_HTML_INLINE:
            return [.html(literal(of: node))]
        case CMARK_NODE_EMPH:
            return [.emphasis(inlines(under: node, block: block, depth: depth))]
        case CMARK_NODE_STRONG:
            return [.strong(inlines(under: node, block: block, depth: depth))]
        case CMARK_NODE_LINK:
            return [.link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                          content: inlines(under: node, block: block, depth: depth))]
        case CMARK_NODE_IMAGE:
            return [.image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                           alt: inlines(under: node, block: block, depth: depth))]
        case CMARK_NODE_CUSTOM_INLINE:
            return inlines(under: node, block: block, depth: depth)
        default:
            return []
        }
    }
}

extension MarkdownDocument {
    /// The document as HTML, written by libcmark's own HTML renderer: the Swift values are built
    /// back into a cmark tree (values computed by a lesson become text nodes) and cmark renders
    /// it. Each custom block is drawn by `draw` as raw HTML; one `draw` cannot draw (nil) is
    /// reported by its position instead, and nothing is returned. Raw HTML in the source is
    /// written as text, so only the blocks drawn here add markup.
    public func html(drawing draw: (any TerminalBlock) -> String?) -> Result<String, UndrawableBlocks> {
        CommonMarkHTMLWriter.render(self, draw: draw)
    }
}

/// Custom blocks that could not be drawn as HTML, by where they start in the source.
public struct UndrawableBlocks: Error, Sendable {
    /// The positions of the blocks, in document order.
    public var positions: [SourcePosition]
}

/// Builds a cmark tree from a `MarkdownDocument` and renders it with `cmark_render_html`.
enum CommonMarkHTMLWriter {
    static func render(_ document: MarkdownDocument, draw: (any TerminalBlock) -> String?) -> Result<String, UndrawableBlocks> {
        guard let root = cmark_node_new(CMARK_NODE_DOCUMENT) else { return .success("") }
        defer { cmark_node_free(root) }
        var undrawable: [SourcePosition] = []
        append(document.blocks, to: root, draw: draw, undrawable: &undrawable)
        guard undrawable.isEmpty else { return .failure(UndrawableBlocks(positions: undrawable)) }
        guard let rendered = cmark_render_html(root, CMARK_OPT_UNSAFE) else { return .success("") }
        defer { free(rendered) }
        return .success(String(cString: rendered))
    }

    private static func node(_ type: cmark_node_type, literal: String? = nil, under parent: OpaquePointer) -> OpaquePointer? {
        guard let made = cmark_node_new(type) else { return nil }
        if let literal { cmark_node_set_literal(made, literal) }
        cmark_node_append_child(parent, made)
        return made
    }

    private static func append(_ blocks: [Block], to parent: OpaquePointer, draw: (any TerminalBlock) -> String?, undrawable: inout [SourcePosition]) {
        for block in blocks {
            switch block {
            case let .heading(level, content, _):
                if let made = node(CMARK_NODE_HEADING, under: parent) {
                    cmark_node_set_heading_level(made, Int32(level))
                    append(content, to: made)
                }
            case let .paragraph(content, _):
                if let made = node(CMARK_NODE_PARAGRAPH, under: parent) { append(content, to: made) }
            case let .blockQuote(children, _):
                if let made = node(CMARK_NODE_BLOCK_QUOTE, under: parent) { append(children, to: made, draw: draw, undrawable: &undrawable) }
            case let .list(list, _):
                guard let made = node(CMARK_NODE_LIST, under: parent) else { continue }
                switch list.kind {
                case .bullet:
                    cmark_node_set_list_type(made, CMARK_BULLET_LIST)
                case let .ordered(start, delimiter):
                    cmark_node_set_list_type(made, CMARK_ORDERED_LIST)
                    cmark_node_set_list_start(made, Int32(start))
                    cmark_node_set_list_delim(made, delimiter == ")" ? CMARK_PAREN_DELIM : CMARK_PERIOD_DELIM)
                }
                cmark_node_set_list_tight(made, list.isTight ? 1 : 0)
                for item in list.items {
                    if let itemNode = node(CMARK_NODE_ITEM, under: made) { append(item.blocks, to: itemNode, draw: draw, undrawable: &undrawable) }
                }
            case let .codeBlock(info, code, _):
                if let made = node(CMARK_NODE_CODE_BLOCK, literal: code, under: parent), let info { cmark_node_set_fence_info(made, info) }
            case let .htmlBlock(html, _):
                _ = node(CMARK_NODE_CODE_BLOCK, literal: html, under: parent)
            case .thematicBreak:
                _ = node(CMARK_NODE_THEMATIC_BREAK, under: parent)
            case let .custom(custom, position):
                if let html = draw(custom) {
                    _ = node(CMARK_NODE_HTML_BLOCK, literal: html, under: parent)
                } else {
                    undrawable.append(position)
                }
            }
        }
    }

    private static func append(_ inlines: [Inline], to parent: OpaquePointer) {
        for inline in inlines {
            switch inline {
            case let .text(text), let .value(text), let .html(text):
                _ = node(CMARK_NODE_TEXT, literal: text, under: parent)
            case .softBreak:
                _ = node(CMARK_NODE_SOFTBREAK, under: parent)
            case .lineBreak:
                _ = node(CMARK_NODE_LINEBREAK, under: parent)
            case let .code(text, _):
                _ = node(CMARK_NODE_CODE, literal: text, under: parent)
            case let .emphasis(children):
                if let made = node(CMARK_NODE_EMPH, under: parent) { append(children, to: made) }
            case let .strong(children):
                if let made = node(CMARK_NODE_STRONG, under: parent) { append(children, to: made) }
            case let .link(destination, title, content):
                if let made = node(CMARK_NODE_LINK, under: parent) {
                    cmark_node_set_url(made, destination)
                    cmark_node_set_title(made, title)
                    append(content, to: made)
                }
            case let .image(source, title, alt):
                if let made = node(CMARK_NODE_IMAGE, under: parent) {
                    cmark_node_set_url(made, source)
                    cmark_node_set_title(made, title)
                    append(alt, to: made)
                }
            }
        }
    }
}
