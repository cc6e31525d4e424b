/// A place in the Markdown source: 1-based line and column (columns count bytes, as cmark does).
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column number.
    public var column: Int

    /// Creates a position from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position as `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A parsed Markdown document: Swift values only, no pointers into cmark.
public struct MarkdownDocument: Sendable {
    /// The top-level blocks, in source order.
    public var blocks: [Block]

    /// Creates a document from blocks (for documents built or transformed in code).
    public init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// The plain text of the first heading, if the document has one (used as a lesson's title).
    public var title: String? {
        for block in allBlocks {
            if case let .heading(_, content, _) = block {
                return Inline.plainText(of: content)
            }
        }
        return nil
    }

    /// Every block in the document, depth first, parents before their children.
    public var allBlocks: [Block] {
        var found: [Block] = []
        func walk(_ blocks: [Block]) {
            for block in blocks {
                found.append(block)
                switch block {
                case let .blockQuote(children, _): walk(children)
                case let .list(list, _): list.items.forEach { walk($0.blocks) }
                default: break
                }
            }
        }
        walk(blocks)
        return found
    }

    /// Returns the document with every block replaced by `transform`, innermost blocks first.
    ///
    /// `transform` receives each block after its children have been transformed; returning `nil`
    /// drops the block, returning several blocks splices them in its place.
    public func mapBlocks(_ transform: (Block) throws -> [Block]?) rethrows -> MarkdownDocument {
        MarkdownDocument(blocks: try Block.map(blocks, transform))
    }

    /// Returns the document with every inline run replaced by `transform`, innermost inlines first.
    ///
    /// Reaches inlines in headings, paragraphs, and inside emphasis, strong, links and images.
    public func mapInlines(_ transform: (Inline, SourcePosition) throws -> Inline) rethrows -> MarkdownDocument {
        try mapBlocks { block in
            switch block {
            case let .heading(level, content, position):
                return [.heading(level: level, content: try Inline.map(content, at: position, transform), position: position)]
            case let .paragraph(content, position):
                return [.paragraph(try Inline.map(content, at: position, transform), position: position)]
            default:
                return [block]
            }
        }
    }
}

/// Whether a list is bulleted or numbered.
public enum ListKind: Hashable, Sendable {
    /// A bullet list (`-`, `*` or `+` in the source).
    case bullet
    /// A numbered list starting at `start`, with `.` or `)` after each number.
    case ordered(start: Int, delimiter: Character)
}

/// One item of a list: the blocks it holds.
public struct ListItem: Sendable {
    /// The item's blocks (often a single paragraph).
    public var blocks: [Block]
    /// Where the item starts in the source.
    public var position: SourcePosition

    /// Creates an item from its blocks and position.
    public init(blocks: [Block], position: SourcePosition) {
        self.blocks = blocks
        self.position = position
    }
}

/// A bullet or ordered list.
public struct MarkdownList: Sendable {
    /// Bullet or numbered, with the start number kept.
    public var kind: ListKind
    /// A tight list has no blank lines between its items; a loose one does.
    public var isTight: Bool
    /// The items in order.
    public var items: [ListItem]

    /// Creates a list.
    public init(kind: ListKind, isTight: Bool, items: [ListItem]) {
        self.kind = kind
        self.isTight = isTight
        self.items = items
    }
}

/// Content that another module renders itself (a table, a diagram, a heatmap).
///
/// The renderer places the returned lines under any quote or list prefix without re-wrapping them.
/// Each line should be at most `width` display columns; longer lines are broken at the width.
public protocol TerminalBlock: Sendable {
    /// The lines to show, at most `width` columns each, styled only through `style`.
    func lines(width: Int, style: TerminalStyle) -> [String]
}

/// A block-level node of a Markdown document; every case carries where it starts in the source.
public indirect enum Block: Sendable {
    /// A heading of level 1 to 6 (ATX `#` or setext underline).
    case heading(level: Int, content: [Inline], position: SourcePosition)
    /// A paragraph of inline content.
    case paragraph([Inline], position: SourcePosition)
    /// A block quote holding blocks.
    case blockQuote([Block], position: SourcePosition)
    /// A bullet or ordered list.
    case list(MarkdownList, position: SourcePosition)
    /// A fenced (`info` possibly empty) or indented (`info` nil) code block; `code` ends with a newline as in the source.
    case codeBlock(info: String?, code: String, position: SourcePosition)
    /// A raw HTML block, never interpreted.
    case htmlBlock(String, position: SourcePosition)
    /// A thematic break (`---`, `***`).
    case thematicBreak(position: SourcePosition)
    /// Content rendered by another module (see `TerminalBlock`).
    case custom(any TerminalBlock, position: SourcePosition)

    /// Where the block starts in the source.
    public var position: SourcePosition {
        switch self {
        case let .heading(_, _, position), let .paragraph(_, position), let .blockQuote(_, position),
             let .list(_, position), let .codeBlock(_, _, position), let .htmlBlock(_, position),
             let .thematicBreak(position), let .custom(_, position):
            return position
        }
    }

    static func map(_ blocks: [Block], _ transform: (Block) throws -> [Block]?) rethrows -> [Block] {
        var result: [Block] = []
        for block in blocks {
            let inner: Block
            switch block {
            case let .blockQuote(children, position):
                inner = .blockQuote(try map(children, transform), position: position)
            case .list(var list, let position):
                for index in list.items.indices {
                    list.items[index].blocks = try map(list.items[index].blocks, transform)
                }
                inner = .list(list, position: position)
            default:
                inner = block
            }
            if let replaced = try transform(inner) { result.append(contentsOf: replaced) }
        }
        return result
    }
}

/// An inline node of a Markdown document.
public indirect enum Inline: Hashable, Sendable {
    /// Literal text.
    case text(String)
    /// A line ending inside a paragraph (shown as a space).
    case softBreak
    /// A hard line break (two trailing spaces or a backslash).
    case lineBreak
    /// An inline code span and where its content starts (just after the opening backticks; the block's position when unknown).
    case code(String, position: SourcePosition)
    /// Raw inline HTML, shown plainly, never interpreted.
    case html(String)
    /// Emphasised content (`*x*`).
    case emphasis([Inline])
    /// Strong content (`**x**`).
    case strong([Inline])
    /// A link: its text, destination and title.
    case link(destination: String, title: String, content: [Inline])
    /// An image: its alt text, source and title.
    case image(source: String, title: String, alt: [Inline])
    /// A computed value shown to the learner (rendered distinctly, wrapped like text).
    case value(String)

    /// The text a reader sees, without any styling (code spans and values included, links' text only).
    public static func plainText(of inlines: [Inline]) -> String {
        inlines.map(\.plainText).joined()
    }

    /// The text a reader sees for this node, without styling.
    public var plainText: String {
        switch self {
        case let .text(text), let .code(text, _), let .html(text), let .value(text): return text
        case .softBreak, .lineBreak: return " "
        case let .emphasis(children), let .strong(children): return Inline.plainText(of: children)
        case let .link(_, _, content): return Inline.plainText(of: content)
        case let .image(_, _, alt): return Inline.plainText(of: alt)
        }
    }

    static func map(_ inlines: [Inline], at position: SourcePosition, _ transform: (Inline, SourcePosition) throws -> Inline) rethrows -> [Inline] {
        try inlines.map { inline in
            let inner: Inline
            switch inline {
            case let .emphasis(children): inner = .emphasis(try map(children, at: position, transform))
            case let .strong(children): inner = .strong(try map(children, at: position, transform))
            case let .link(destination, title, content):
                inner = .link(destination: destination, title: title, content: try map(content, at: position, transform))
            case let .image(source, title, alt):
                inner = .image(source: source, title: title, alt: try map(alt, at: position, transform))
            default: inner = inline
            }
            return try transform(inner, position)
        }
    }
}
