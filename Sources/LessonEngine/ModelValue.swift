import AttentionCore

/// A published model from the catalog, as `model("llama-2-70b")` returns it.
///
/// Its KV-cache counts go through the core's cost model (`AttentionCost`) for the model's attention
/// configuration, so a lesson's model numbers and its `mha(…)` numbers come from the same code.
public struct ModelValue: ValueObject {
    /// The model's configuration as read from the catalog.
    public let model: ModelConfiguration
    /// The catalog's display name.
    public let displayName: String

    /// The model called `name` (id or alias); throws a `FunctionError` naming the closest id.
    public init(named name: String) throws {
        let entry: CatalogEntry
        do {
            entry = try ModelCatalog.lookup(name)
        } catch let error as UnknownModelError {
            throw FunctionError(error.description, argument: "name")
        }
        do {
            model = try entry.configuration()
        } catch {
            throw FunctionError("the catalog entry \(entry.id) could not be read: \(error)", argument: "name")
        }
        displayName = entry.displayName
    }

    /// The attention configuration the core counts with.
    var attentionConfig: AttentionConfig {
        AttentionConfig(dModel: model.dModel, heads: model.heads, kvHeads: model.kvHeads, headDim: model.headDim,
                        kvLoraRank: model.latent?.kvLoraRank ?? 0, ropeDim: model.latent?.qkRopeHeadDim ?? 0,
                        bias: false, layers: model.layers)
    }

    /// The same model if every query head had its own keys and values (plain MHA).
    var mhaConfig: AttentionConfig {
        AttentionConfig(dModel: model.dModel, heads: model.heads, kvHeads: model.heads, headDim: model.headDim,
                        bias: false, layers: model.layers)
    }

    /// A short noun for messages.
    public var typeName: String { "model" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] {
        ["name", "kind", "d_model", "heads", "kv_heads", "head_dim", "d_k", "layers", "group_size", "attention_computations",
         "kv_cache_bytes", "kv_cache_bytes_per_layer", "mha_kv_cache_bytes", "experts", "experts_per_token", "kv_lora_rank", "rope_dim"]
    }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "name": return .string(displayName)
        case "kind": return .string(model.kind.rawValue)
        case "d_model": return .integer(model.dModel)
        case "heads": return .integer(model.heads)
        case "kv_heads": return .integer(model.kvHeads)
        case "head_dim", "d_k": return .integer(model.headDim)
        case "layers": return .integer(model.layers)
        case "group_size": return .integer(model.groupSize)
        case "attention_computations": return .integer(AttentionCost(config: attentionConfig, tokens: 1).attentionComputations)
        case "experts": return .integer(model.experts?.experts ?? 0)
        case "experts_per_token": return .integer(model.experts?.expertsPerToken ?? 0)
        case "kv_lora_rank": return .integer(model.latent?.kvLoraRank ?? 0)
        case "rope_dim": return .integer(model.latent?.qkRopeHeadDim ?? 0)
        case "kv_cache_bytes": return .function(kvFunction(name, config: attentionConfig, perLayer: false))
        case "kv_cache_bytes_per_layer": return .function(kvFunction(name, config: attentionConfig, perLayer: true))
        case "mha_kv_cache_bytes": return .function(kvFunction(name, config: mhaConfig, perLayer: false))
        default: return nil
        }
    }

    private func kvFunction(_ name: String, config: AttentionConfig, perLayer: Bool) -> Function {
        Function(name, parameters: [.init("dtype", default: .string("bf16"))], receiver: model.name) { arguments in
            let dtype = try ModelValue.dtype(arguments)
            let cost = AttentionCost(config: config, tokens: 1)
            return .integer(perLayer ? cost.kvCacheBytesPerTokenPerLayer(dtype) : cost.kvCacheBytesPerToken(dtype))
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
