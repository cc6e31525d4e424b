import Support
/// One published model the project ships: its config.json fields and where they were checked.
public struct CatalogEntry: Sendable, Equatable {
    /// Lowercase dashed id, such as `llama-2-70b`.
    public let id: String
    /// The model's usual name, such as `Llama 2 70B`.
    public let displayName: String
    /// Other names that find this entry, such as its Hugging Face repository.
    public let aliases: [String]
    /// Where the numbers come from: repository and file, or paper and section.
    public let source: String
    /// A second, independent place the same numbers were checked against.
    public let crossCheck: String
    /// Something a reader of this model's numbers should know, if anything.
    public let note: String?
    /// The attention-relevant fields of the published config.json, with their published names.
    public let configJSON: String

    /// Reads `configJSON` with `ConfigReader`, so the catalog goes through the same field rules as any file.
    public func configuration() throws -> ModelConfiguration {
        try ConfigReader.parse(configJSON, path: "catalog:\(id)", name: id)
    }
}

/// A name that matches no catalog entry, with the closest id when one is close.
public struct UnknownModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name that was asked for.
    public var name: String
    /// The id of the closest entry, if one is close enough to be a likely typo.
    public var suggestion: String?

    /// Creates the error.
    public init(name: String, suggestion: String?) {
        self.name = name
        self.suggestion = suggestion
    }

    /// One sentence, with the suggestion when there is one.
    public var description: String {
        let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
        return "no published model named '\(name)' in the catalog.\(hint) (mhalearn model --list shows them all)"
    }
}

/// The published models the project ships, each with its source.
public enum ModelCatalog {
    /// Finds an entry by id or alias, ignoring case, spaces, dashes, dots and underscores.
    public static func entry(named name: String) -> CatalogEntry? {
        let key = normalize(name)
        guard !key.isEmpty else { return nil }
        return entries.first { entry in keys(of: entry).contains(key) }
    }

    /// Finds an entry, or throws `UnknownModelError` carrying the closest id.
    public static func lookup(_ name: String) throws -> CatalogEntry {
        guard let found = entry(named: name) else {
            throw UnknownModelError(name: name, suggestion: suggestion(for: name))
        }
        return found
    }

    /// The configuration of a catalog model, read through `ConfigReader`.
    public static func configuration(named name: String) throws -> ModelConfiguration {
        try lookup(name).configuration()
    }

    /// The id closest to `name` when it is near enough to be a typo or a shortened name (by
    /// `closest(_:in:)`, over every id, display name and alias); nil otherwise.
    public static func suggestion(for name: String) -> String? {
        let known = entries.flatMap { entry in names(of: entry).map { (name: $0, id: entry.id) } }
        guard let match = closest(name, in: known.map(\.name), key: normalize) else { return nil }
        return known.first { $0.name == match }?.id
    }

    /// Lowercases and drops everything but letters and digits, so `Llama-2 70B` finds `llama-2-70b`.
    static func normalize(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }.map(Character.init))
    }

    /// The names an entry answers to: its id, display name and aliases.
    static func names(of entry: CatalogEntry) -> [String] {
        [entry.id, entry.displayName] + entry.aliases
    }

    static func keys(of entry: CatalogEntry) -> [String] {
        names(of: entry).map(normalize)
    }

}
