import CCmark

extension MarkdownDocument {
    /// Parses CommonMark text into Swift values (cmark's tree is converted and freed at once).
    public init(parsing markdown: String) {
        self = CommonMarkConverter.convert(markdown)
    }
}

/// The only code that touches cmark: parses, copies the tree into Swift values, frees it.
struct CommonMarkConverter {
    static func convert(_ markdown: String) -> MarkdownDocument {
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
        let converter = CommonMarkConverter(sourceLines: markdown.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) })
        return MarkdownDocument(blocks: converter.blocks(under: root))
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

    private func blocks(under node: OpaquePointer) -> [Block] {
        children(of: node).flatMap(blocks(for:))
    }

    private func position(of node: OpaquePointer) -> SourcePosition {
        SourcePosition(line: max(1, Int(cmark_node_get_start_line(node))), column: max(1, Int(cmark_node_get_start_column(node))))
    }

    private func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private func blocks(for node: OpaquePointer) -> [Block] {
        let at = position(of: node)
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            return [.heading(level: Int(cmark_node_get_heading_level(node)), content: inlines(under: node, block: at), position: at)]
        case CMARK_NODE_PARAGRAPH:
            return [.paragraph(inlines(under: node, block: at), position: at)]
        case CMARK_NODE_BLOCK_QUOTE:
            return [.blockQuote(blocks(under: node), position: at)]
        case CMARK_NODE_LIST:
            let kind: ListKind
            if cmark_node_get_list_type(node) == CMARK_ORDERED_LIST {
                kind = .ordered(start: Int(cmark_node_get_list_start(node)),
                                delimiter: cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ")" : ".")
            } else {
                kind = .bullet
            }
            let items = children(of: node).map { ListItem(blocks: blocks(under: $0), position: position(of: $0)) }
            return [.list(MarkdownList(kind: kind, isTight: cmark_node_get_list_tight(node) != 0, items: items), position: at)]
        case CMARK_NODE_ITEM:
            return blocks(under: node)
        case CMARK_NODE_CODE_BLOCK:
            let fenced = isFenced(at: at)
            return [.codeBlock(info: fenced ? string(cmark_node_get_fence_info(node)) : nil, code: literal(of: node), position: at)]
        case CMARK_NODE_HTML_BLOCK:
            return [.htmlBlock(literal(of: node), position: at)]
        case CMARK_NODE_THEMATIC_BREAK:
            return [.thematicBreak(position: at)]
        case CMARK_NODE_CUSTOM_BLOCK:
            return blocks(under: node)
        default:
            return []
        }
    }

    private func inlines(under node: OpaquePointer, block: SourcePosition) -> [Inline] {
        children(of: node).flatMap { inlines(for: $0, block: block) }
    }

    private func inlines(for node: OpaquePointer, block: SourcePosition) -> [Inline] {
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
            return [.emphasis(inlines(under: node, block: block))]
        case CMARK_NODE_STRONG:
            return [.strong(inlines(under: node, block: block))]
        case CMARK_NODE_LINK:
            return [.link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                          content: inlines(under: node, block: block))]
        case CMARK_NODE_IMAGE:
            return [.image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                           alt: inlines(under: node, block: block))]
        case CMARK_NODE_CUSTOM_INLINE:
            return inlines(under: node, block: block)
        default:
            return []
        }
    }
}
