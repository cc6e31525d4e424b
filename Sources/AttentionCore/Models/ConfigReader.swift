import Foundation
import Support

/// Reads a Hugging Face `config.json` into a `ModelConfiguration`, across the field-name
/// conventions of published models.
///
/// | quantity | fields tried, in order |
/// | --- | --- |
/// | d_model | `hidden_size`, `n_embd`, `d_model`, `dim` |
/// | heads | `num_attention_heads`, `n_head`, `num_heads`, `n_heads`, `encoder_attention_heads` |
/// | layers | `num_hidden_layers`, `n_layer`, `num_layers`, `n_layers`, `encoder_layers` |
/// | head dim | `head_dim`, `d_kv` (T5), `kv_channels`; else d_model / heads when that divides evenly |
/// | K/V heads | Falcon: `new_decoder_architecture` → `num_kv_heads`, else `multi_query` → 1; otherwise `num_key_value_heads`, `n_kv_heads`, `num_kv_heads`, `n_head_kv`, ChatGLM's `multi_query_group_num`, then `multi_query` → 1 (GPT-BigCode) |
/// | MLA | `kv_lora_rank`, `q_lora_rank`, `qk_nope_head_dim`, `qk_rope_head_dim`, `v_head_dim` |
/// | experts | `num_local_experts`, `n_routed_experts`, `num_experts`; `num_experts_per_tok`; `n_shared_experts` |
///
/// A config that states no K/V-head field is plain multi-head attention: that is the documented
/// default of every transformers config class. A quantity the reader cannot resolve is an error
/// naming the field; nothing is guessed. Multimodal wrappers are read through their `text_config`.
public enum ConfigReader {
    /// Fields that name the model width, tried in order.
    static let dModelFields = ["hidden_size", "n_embd", "d_model", "dim"]
    /// Fields that name the query-head count, tried in order.
    static let headFields = ["num_attention_heads", "n_head", "num_heads", "n_heads", "encoder_attention_heads"]
    /// Fields that name the layer count, tried in order.
    static let layerFields = ["num_hidden_layers", "n_layer", "num_layers", "n_layers", "encoder_layers"]
    /// Fields that state the per-head width outright, tried in order.
    static let headDimFields = ["head_dim", "d_kv", "kv_channels"]
    /// Fields that count K/V heads, tried in order.
    static let kvHeadFields = ["num_key_value_heads", "n_kv_heads", "num_kv_heads", "n_head_kv"]
    /// Fields that count routed experts, tried in order.
    static let expertFields = ["num_local_experts", "n_routed_experts", "num_experts"]
    /// `model_type` values that follow Falcon's K/V-head rules.
    static let falconTypes: Set<String> = ["falcon", "refinedweb", "refinedwebmodel"]

    /// The largest file read as a config: real ones are a few KiB, weights are gigabytes.
    public static let maximumFileBytes = 8 << 20

    /// Reads the config at `url`: a config.json file, or a folder that holds one.
    public static func read(contentsOf url: URL, name: String? = nil) throws -> ModelConfiguration {
        var file = url
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = url.appendingPathComponent("config.json")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int, size > maximumFileBytes {
            throw ConfigError(path: file.path, message: "the file is \(size / (1 << 20)) MiB, too large for a config.json (a few KiB); is it the weights? Point at the config.json beside them")
        }
        let data: Data
        do {
            data = try AuthorFile.read(file)
        } catch let refusal as AuthorFile.Refusal {
            throw ConfigError(path: file.path, message: String(refusal.message.dropLast()))
        } catch {
            throw ConfigError(path: file.path, message: "cannot read the file (\(Self.reason(error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: file.path, message: "the file is not UTF-8 text")
        }
        let folder = file.deletingLastPathComponent().lastPathComponent
        let fallback = file.lastPathComponent == "config.json" && !folder.isEmpty
            ? folder : file.deletingPathExtension().lastPathComponent
        return try parse(text, path: file.path, name: name, fallbackName: fallback)
    }

    /// Reads config.json text; `path` labels errors, `name` overrides the name the config gives.
    public static func parse(_ text: String, path: String = "config.json", name: String? = nil) throws -> ModelConfiguration {
        try parse(text, path: path, name: name, fallbackName: "model")
    }

    private static func parse(_ text: String, path: String, name: String?, fallbackName: String) throws -> ModelConfiguration {
        let root: JSONValue
        do {
            root = try JSONReader.parse(text)
        } catch let error as JSONSyntaxError {
            throw ConfigError(path: path, line: error.position.line, column: error.position.column, message: error.message)
        }
        guard case .object(let top) = root else {
            throw ConfigError(path: path, line: 1, column: 1, message: "expected a JSON object ({…}) at the top level, found \(root.summary)")
        }
        var fields = Fields(object: top, path: path, prefix: "")
        if fields.first(of: dModelFields) == nil, let nested = top["text_config"], case .object(let inner) = nested.value {
            fields = Fields(object: inner, path: path, prefix: "text_config.")
        }
        let topName = try Fields(object: top, path: path, prefix: "").string("_name_or_path")
        let resolvedName = name ?? topName.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackName
        return try resolve(fields, name: resolvedName)
    }

    private static func resolve(_ fields: Fields, name: String) throws -> ModelConfiguration {
        let modelType = try fields.string("model_type")
        let dModel = try fields.requireCount(dModelFields, quantity: "d_model")
        let heads = try fields.requireCount(headFields, quantity: "the number of attention heads")
        let layers = try fields.requireCount(layerFields, quantity: "the number of layers")
        let decoderLayers = try fields.count(["num_decoder_layers"])?.value
        let latent = try latentAttention(fields)
        let experts = try mixtureOfExperts(fields)

        let headDim: Int
        let explicit: Bool
        if let latent {
            headDim = latent.qkNopeHeadDim
            explicit = true
        } else if let stated = try fields.count(headDimFields) {
            headDim = stated.value
            explicit = true
        } else if dModel.value % heads.value == 0 {
            headDim = dModel.value / heads.value
            explicit = false
        } else {
            throw fields.missing(
                "head_dim",
                "cannot resolve head_dim: the config states none of \(list(headDimFields)), and d_model \(dModel.value) (\(fields.prefix)\(dModel.key)) is not divisible by \(heads.value) heads"
            )
        }

        let kvHeads = latent == nil ? try kvHeadCount(fields, heads: heads, modelType: modelType) : heads.value
        return ModelConfiguration(
            name: name, modelType: modelType, dModel: dModel.value, heads: heads.value, kvHeads: kvHeads,
            headDim: headDim, headDimIsExplicit: explicit, layers: layers.value, decoderLayers: decoderLayers,
            latent: latent, experts: experts
        )
    }

    private static func kvHeadCount(_ fields: Fields, heads: (key: String, value: Int), modelType: String?) throws -> Int {
        let isFalcon = falconTypes.contains(modelType?.lowercased() ?? "") || fields.has("new_decoder_architecture")
        let resolved: (key: String, value: Int)
        if isFalcon {
            if try fields.bool("new_decoder_architecture") == true {
                guard let stated = try fields.count(["num_kv_heads", "n_head_kv"]) else {
                    throw fields.missing("num_kv_heads", "cannot resolve the K/V heads: new_decoder_architecture is true but the config states neither num_kv_heads nor n_head_kv")
                }
                resolved = stated
            } else if try fields.bool("multi_query") == true {
                return 1
            } else {
                resolved = try fields.count(["num_kv_heads", "n_head_kv"]) ?? heads
            }
        } else if let stated = try fields.count(kvHeadFields) {
            resolved = stated
        } else if try fields.bool("multi_query_attention") == true {
            guard let groups = try fields.count(["multi_query_group_num"]) else {
                throw fields.missing("multi_query_group_num", "cannot resolve the K/V heads: multi_query_attention is true but multi_query_group_num is missing")
            }
            resolved = groups
        } else if try fields.bool("multi_query") == true {
            return 1
        } else {
            return heads.value
        }
        guard resolved.value <= heads.value, heads.value % resolved.value == 0 else {
            throw fields.invalid(resolved.key, "\(resolved.key) is \(resolved.value), which does not divide the \(heads.value) query heads (\(heads.key)) into equal groups")
        }
        return resolved.value
    }

    private static func latentAttention(_ fields: Fields) throws -> LatentAttention? {
        guard let rank = try fields.count(["kv_lora_rank"]) else { return nil }
        func required(_ key: String) throws -> Int {
            guard let found = try fields.count([key]) else {
                throw fields.missing(key, "cannot resolve multi-head latent attention: kv_lora_rank is \(rank.value) but \(key) is missing")
            }
            return found.value
        }
        return LatentAttention(
            kvLoraRank: rank.value, qLoraRank: try fields.count(["q_lora_rank"])?.value,
            qkNopeHeadDim: try required("qk_nope_head_dim"), qkRopeHeadDim: try required("qk_rope_head_dim"),
            vHeadDim: try required("v_head_dim")
        )
    }

    private static func mixtureOfExperts(_ fields: Fields) throws -> MixtureOfExperts? {
        guard let experts = try fields.count(expertFields, allowZero: true), experts.value > 0 else { return nil }
        guard let perToken = try fields.count(["num_experts_per_tok"]) else {
            throw fields.missing("num_experts_per_tok", "cannot resolve the mixture of experts: \(experts.key) is \(experts.value) but num_experts_per_tok is missing")
        }
        guard perToken.value <= experts.value else {
            throw fields.invalid(perToken.key, "num_experts_per_tok is \(perToken.value), more than the \(experts.value) experts (\(experts.key))")
        }
        let shared = try fields.count(["n_shared_experts"], allowZero: true)?.value ?? 0
        return MixtureOfExperts(experts: experts.value, expertsPerToken: perToken.value, sharedExperts: shared)
    }

    fileprivate static func list(_ keys: [String]) -> String { keys.joined(separator: ", ") }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}

/// Typed access to one config object's fields, with errors that point at the field.
private struct Fields {
    let object: JSONObject
    let path: String
    /// Prepended to keys in messages when the fields come from a nested object such as `text_config`.
    let prefix: String

    func has(_ key: String) -> Bool { object[key] != nil }

    /// The first of `keys` present with a non-null value.
    func first(of keys: [String]) -> (key: String, member: JSONObject.Member)? {
        for key in keys {
            if let member = object[key], member.value != .null { return (key, member) }
        }
        return nil
    }

    /// The first of `keys` present, as a positive whole number (or zero when `allowZero`).
    func count(_ keys: [String], allowZero: Bool = false) throws -> (key: String, value: Int)? {
        guard let (key, member) = first(of: keys) else { return nil }
        guard case .number(_, let integer?) = member.value, integer > 0 || (allowZero && integer == 0) else {
            let wanted = allowZero ? "a whole number, 0 or more" : "a positive whole number"
            throw invalid(key, "\(prefix)\(key) must be \(wanted), found \(member.value.summary)")
        }
        return (key, integer)
    }

    /// Like `count`, but a config that states none of `keys` is an error naming them.
    func requireCount(_ keys: [String], quantity: String) throws -> (key: String, value: Int) {
        guard let found = try count(keys) else {
            throw missing(keys[0], "cannot resolve \(quantity): the config states none of \(ConfigReader.list(keys))")
        }
        return found
    }

    func bool(_ key: String) throws -> Bool? {
        guard let member = object[key] else { return nil }
        switch member.value {
        case .null: return nil
        case .bool(let value): return value
        default: throw invalid(key, "\(prefix)\(key) must be true or false, found \(member.value.summary)")
        }
    }

    func string(_ key: String) throws -> String? {
        guard let member = object[key] else { return nil }
        switch member.value {
        case .null: return nil
        case .string(let text): return text
        default: throw invalid(key, "\(prefix)\(key) must be a string, found \(member.value.summary)")
        }
    }

    /// An error about a field that is present but unusable, placed at its key.
    func invalid(_ key: String, _ message: String) -> ConfigError {
        let position = object[key]?.position
        return ConfigError(path: path, line: position?.line, column: position?.column, field: prefix + key, message: message)
    }

    /// An error about a field the config does not state.
    func missing(_ key: String, _ message: String) -> ConfigError {
        ConfigError(path: path, field: prefix + key, message: message)
    }
}
