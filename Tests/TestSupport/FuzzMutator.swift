/// A seeded byte-level mutator for the fuzz tests: the same seed gives the same inputs.
public struct FuzzMutator {
    private var random: SplitMix

    public init(seed: UInt64) { random = SplitMix(seed: seed) }

    public mutating func next() -> UInt64 { random.next() }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    /// Pieces that tend to break parsers: syntax of YAML, Markdown and the expression language,
    /// control characters (C0, DEL, C1), invalid and wide UTF-8, huge numbers.
    public static let pieces = ["&a", "*a", ": ", "- ", "[", "]", "{", "}", "|", ">", "'", "\"", "#", "\n", "\t", "  ", "`", "```", "```mha\n",
                         "= ", "expect ", "show ", "(", ")", ",", "1e308", "-0", "NaN", "99999999999999999999", "\u{1B}[2J", "\u{07}",
                         "\u{9B}", "\u{7F}", "\u{0}", "é", "漢字", "🙂", "\u{301}", "mha(d_model: 8, heads: 2, tokens: 3)", "x.", "//", "%", "**"]

    /// `text` with 1 to 4 random edits: a piece inserted, a range deleted, a range duplicated.
    public mutating func mutate(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0...below(4) {
            let at = below(scalars.count + 1)
            switch below(3) {
            case 0: scalars.insert(contentsOf: FuzzMutator.pieces[below(FuzzMutator.pieces.count)].unicodeScalars, at: at)
            case 1: scalars.removeSubrange(at..<min(scalars.count, at + below(40)))
            default: scalars.insert(contentsOf: scalars[at..<min(scalars.count, at + below(80))], at: at)
            }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}
