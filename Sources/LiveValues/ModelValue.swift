import AttentionCore
import ExpressionLanguage

/// A published model from the catalog, as `model("llama-2-70b")` returns it.
///
/// A view of the core's `PublishedModel`: its counts come from the core's cost model of the exact
/// layer `mhalearn model` builds, so a lesson's model numbers and that command's numbers agree.
public struct ModelValue: ValueObject {
    /// The catalog model.
    public let published: PublishedModel

    /// The model's configuration as read from the catalog.
    public var model: ModelConfiguration { published.configuration }
    /// The catalog's display name.
    public var displayName: String { published.entry?.displayName ?? model.name }

    /// The model called `name` (id or alias); throws a `FunctionError` naming the closest id.
    public init(named name: String) throws {
        do {
            published = try PublishedModel.named(name)
        } catch let error as UnknownModelError {
            throw FunctionError(error.description, argument: "name")
        } catch {
            throw FunctionError("the catalog entry for \(name) could not be read: \(error)", argument: "name")
        }
    }

    /// A model read from a config.json (or any configuration), as `--model path/config.json` gives it.
    public init(published: PublishedModel) {
        self.published = published
    }

    /// Every catalog model, in the catalog's order (what `check --models all` proves lessons for).
    public static var catalog: [ModelValue] {
        ModelCatalog.entries.compactMap { try? ModelValue(named: $0.id) }
    }

    /// A short noun for messages.
    public var typeName: String { "model" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ModelValue.memberNames }

    /// The names `member(_:)` answers, for every model.
    public static var memberNames: [String] {
        ["name", "kind", "d_model", "heads", "kv_heads", "head_dim", "d_k", "layers", "group_size", "attention_computations",
         "kv_cache_bytes", "kv_cache_bytes_per_layer", "mha_kv_cache_bytes", "experts", "experts_per_token", "kv_lora_rank", "rope_dim",
         "qk_head_dim", "v_head_dim", "head_dim_is_split"]
    }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "name": return .string(displayName)
        case "kind": return .string(published.kind.rawValue)
        case "d_k": return .integer(published.headDim)
        case "qk_head_dim": return .integer(published.headDim + published.ropeDim)
        case "v_head_dim": return .integer(model.latent?.vHeadDim ?? published.headDim)
        case "head_dim_is_split": return .boolean(model.dModel % model.heads == 0 && model.dModel / model.heads == published.headDim)
        case "kv_cache_bytes": return .function(kvFunction(name) { published.kvCacheBytes(dtype: $0) })
        case "kv_cache_bytes_per_layer": return .function(kvFunction(name) { published.kvCacheBytesPerLayer(dtype: $0) })
        case "mha_kv_cache_bytes": return .function(kvFunction(name) { published.mhaKVCacheBytes(dtype: $0) })
        default: return published.integerMembers[name].map(Value.integer)
        }
    }

    private func kvFunction(_ name: String, _ bytes: @escaping @Sendable (DType) -> Int) -> Function {
        Function(name, parameters: [.init("dtype", default: .string("bf16"))], receiver: model.name) { arguments in
            .integer(bytes(try ModelValue.dtype(arguments)))
        }
    }

    /// Reads the `dtype:` argument, listing the accepted names when it is unknown.
    static func dtype(_ arguments: Arguments) throws -> DType {
        let text = try arguments.string("dtype")
        guard let dtype = DType(rawValue: text.lowercased()) else {
            let known = DType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw FunctionError("unknown dtype \"\(text)\"; use one of \(known).", argument: "dtype")
        }
        return dtype
    }

    /// One line describing the value.
    public var summary: String { "\(displayName) (\(model.kind.rawValue), d_model \(model.dModel), \(model.heads) heads)" }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        (other as? ModelValue)?.model == model
    }

    /// The `model(NAME)` expression function.
    static let function = Function("model", parameters: [.init("name")]) { arguments in
        .object(try ModelValue(named: arguments.string("name")))
    }
}
