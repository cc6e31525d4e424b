/// A terminal colour: one of the 16 basic colours, the 256-colour palette, or 24-bit RGB.
public enum TerminalColor: Hashable, Sendable {
    /// A basic colour, 0–7 normal (black, red, green, yellow, blue, magenta, cyan, white), 8–15 bright.
    case basic(UInt8)
    /// An entry of the 256-colour palette.
    case palette(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// Red.
    public static let red = TerminalColor.basic(1)
    /// Green.
    public static let green = TerminalColor.basic(2)
    /// Yellow.
    public static let yellow = TerminalColor.basic(3)
    /// Blue.
    public static let blue = TerminalColor.basic(4)
    /// Magenta.
    public static let magenta = TerminalColor.basic(5)
    /// Cyan.
    public static let cyan = TerminalColor.basic(6)

    func parameters(background: Bool) -> String {
        switch self {
        case let .basic(index):
            let code = Int(index % 16)
            if code < 8 { return String((background ? 40 : 30) + code) }
            return String((background ? 100 : 90) + code - 8)
        case let .palette(index):
            return "\(background ? 48 : 38);5;\(index)"
        case let .rgb(red, green, blue):
            return "\(background ? 48 : 38);2;\(red);\(green);\(blue)"
        }
    }
}

/// A set of text attributes: weight, slant, underline, and colours.
public struct TextAttributes: Hashable, Sendable {
    /// Bold (bright) text.
    public var bold = false
    /// Dim (faint) text.
    public var dim = false
    /// Italic text.
    public var italic = false
    /// Underlined text.
    public var underline = false
    /// The text colour, if any.
    public var foreground: TerminalColor?
    /// The background colour, if any.
    public var background: TerminalColor?

    /// Creates attributes; everything off by default.
    public init(bold: Bool = false, dim: Bool = false, italic: Bool = false, underline: Bool = false,
                foreground: TerminalColor? = nil, background: TerminalColor? = nil) {
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.foreground = foreground
        self.background = background
    }

    /// No attributes at all.
    public static let plain = TextAttributes()

    /// True when no attribute is set.
    public var isPlain: Bool { self == .plain }

    /// These attributes with `other`'s set attributes added on top (other's colours win).
    public func merging(_ other: TextAttributes) -> TextAttributes {
        TextAttributes(bold: bold || other.bold, dim: dim || other.dim, italic: italic || other.italic,
                       underline: underline || other.underline,
                       foreground: other.foreground ?? foreground, background: other.background ?? background)
    }

    var sgrParameters: String {
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if italic { codes.append("3") }
        if underline { codes.append("4") }
        if let foreground { codes.append(foreground.parameters(background: false)) }
        if let background { codes.append(background.parameters(background: true)) }
        return codes.joined(separator: ";")
    }
}

/// Applies text attributes with ANSI escape sequences when colour is on, and does nothing when off.
///
/// This is the only place escape sequences are made: with colour off, every method returns its
/// text unchanged, so uncoloured output holds no escape byte at all.
public struct TerminalStyle: Sendable {
    /// Whether styles are emitted.
    public var colorEnabled: Bool
    /// Whether links may be written as OSC 8 hyperlinks (only ever true together with colour).
    public var hyperlinksEnabled: Bool

    /// Creates a style; hyperlinks are only used when colour is on too.
    public init(color: Bool, hyperlinks: Bool = false) {
        colorEnabled = color
        hyperlinksEnabled = color && hyperlinks
    }

    /// `text` with `attributes` applied and reset after it (unchanged when colour is off).
    public func apply(_ attributes: TextAttributes, to text: String) -> String {
        guard colorEnabled, !attributes.isPlain, !text.isEmpty else { return text }
        return "\u{1B}[\(attributes.sgrParameters)m\(text)\u{1B}[0m"
    }

    /// `text` in bold.
    public func bold(_ text: String) -> String { apply(TextAttributes(bold: true), to: text) }
    /// `text` dimmed.
    public func dim(_ text: String) -> String { apply(TextAttributes(dim: true), to: text) }
    /// `text` in italics.
    public func italic(_ text: String) -> String { apply(TextAttributes(italic: true), to: text) }
    /// `text` underlined.
    public func underline(_ text: String) -> String { apply(TextAttributes(underline: true), to: text) }
    /// `text` in a foreground colour.
    public func foreground(_ color: TerminalColor, _ text: String) -> String { apply(TextAttributes(foreground: color), to: text) }
    /// `text` on a background colour.
    public func background(_ color: TerminalColor, _ text: String) -> String { apply(TextAttributes(background: color), to: text) }

    /// `text` as an OSC 8 hyperlink to `url` when hyperlinks are on; otherwise `text` unchanged.
    ///
    /// Control characters are removed from the URL so it cannot end the sequence early.
    public func hyperlink(_ text: String, to url: String) -> String {
        guard hyperlinksEnabled, !text.isEmpty else { return text }
        let safe = String(String.UnicodeScalarView(url.unicodeScalars.filter { !ControlCharacters.isControl($0) }))
        return "\u{1B}]8;;\(safe)\u{1B}\\\(text)\u{1B}]8;;\u{1B}\\"
    }
}
