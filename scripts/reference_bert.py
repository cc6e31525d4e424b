#!/usr/bin/env python3
"""Independent references for mhalearn's BERT encoder and WordPiece tokenizer.

    reference_bert.py forward MODEL_DIR ID [ID ...]
        Runs the BERT encoder in plain numpy (float64) on the token ids and prints JSON:
        {"attention": [layer][head][query][key], "hidden": [token][feature]}.
        Reads config.json and model.safetensors with nothing but numpy and the json module.

    reference_bert.py tokens MODEL_DIR SENTENCES.txt > cases.json
        Tokenizes each line of SENTENCES.txt (JSON strings, one a line) with the Hugging Face
        `tokenizers` library from MODEL_DIR/tokenizer.json and prints the cases as JSON.
        Also checks that vocab.txt lists the same vocabulary as tokenizer.json.

    reference_bert.py fuzz MODEL_DIR MHALEARN_BINARY COUNT [SEED]
        Tokenizes COUNT random strings (letters, digits, punctuation, accents, Greek, Cyrillic, CJK,
        emoji, combining and invisible characters, Arabic, Devanagari) with `tokenizers` and with
        `mhalearn heads --json`, and reports every string whose ids differ. Exit 1 on any mismatch.
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = entry["dtype"]
        chunk = data[begin:end]
        if dtype == "BF16":
            bits = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        elif dtype in DTYPES:
            array = np.frombuffer(chunk, dtype=np.dtype(DTYPES[dtype]).newbyteorder("<"))
        else:
            continue
        tensors[name] = array.astype(np.float64).reshape(entry["shape"])
    return tensors


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def forward(model_dir, ids):
    with open(f"{model_dir}/config.json") as f:
        config = json.load(f)
    w = read_safetensors(f"{model_dir}/model.safetensors")
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
    heads = config["num_attention_heads"]
    eps = config.get("layer_norm_eps", 1e-12)
    T = len(ids)
    p = lambda name: w[prefix + name]
    x = p("embeddings.word_embeddings.weight")[ids] \
        + p("embeddings.position_embeddings.weight")[:T] \
        + p("embeddings.token_type_embeddings.weight")[0]
    x = layer_norm(x, p("embeddings.LayerNorm.weight"), p("embeddings.LayerNorm.bias"), eps)
    attention = []
    for layer in range(config["num_hidden_layers"]):
        q_ = lambda part: f"encoder.layer.{layer}.{part}"
        linear = lambda part, h: h @ p(q_(part) + ".weight").T + p(q_(part) + ".bias")
        d_model = x.shape[1]
        d_k = d_model // heads
        split = lambda m: m.reshape(T, heads, d_k).transpose(1, 0, 2)  # [h, T, d_k]
        q = split(linear("attention.self.query", x))
        k = split(linear("attention.self.key", x))
        v = split(linear("attention.self.value", x))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d_k)  # [h, T, T]
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        attention.append(weights.tolist())
        context = (weights @ v).transpose(1, 0, 2).reshape(T, d_model)  # [T, d_model]
        x = layer_norm(x + linear("attention.output.dense", context),
                       p(q_("attention.output.LayerNorm.weight")), p(q_("attention.output.LayerNorm.bias")), eps)
        inner = gelu(linear("intermediate.dense", x))
        x = layer_norm(x + linear("output.dense", inner),
                       p(q_("output.LayerNorm.weight")), p(q_("output.LayerNorm.bias")), eps)
    return {"attention": attention, "hidden": x.tolist()}


def tokens(model_dir, sentences_path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with open(f"{model_dir}/vocab.txt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    for index, token in enumerate(lines):
        if vocab.get(token.rstrip()) != index:
            sys.exit(f"vocab.txt line {index + 1} ({token!r}) disagrees with tokenizer.json")
    cases = []
    with open(sentences_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line)
            encoding = tokenizer.encode(text)
            cases.append({"text": text, "ids": encoding.ids, "tokens": encoding.tokens})
    return {"source": "tokenizers " + __import__("tokenizers").__version__ + ", all-MiniLM-L6-v2 tokenizer.json",
            "cases": cases}


def fuzz(model_dir, binary, count, seed):
    import random
    import subprocess
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.no_truncation()
    pools = ["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " \t\n",
             ".,;:!?'\"()[]{}<>-_/\\@#$%^&*+=~`|", "éèêëàâäôöûüçñÉÀÇßøåæœłđ", "αβγδΣσςΩωπ", "абвгдЖЗИ",
             "我爱你中文字日本語のカタカナ한국어", "😀🎉👍🏽❤️🇫🇷",
             "\u0301\u0308\u200b\u200d\u00ad\u2028\u00a0\u3000\u0007\ufeff", "ﬁﬂⅫ①ＦＵＬＬ™©®°±×÷",
             "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "ँकखगघ"]
    rng = random.Random(seed)
    mismatches = 0
    for _ in range(count):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 40)))
        if not text.strip():
            text = "x" + text
        expected = tokenizer.encode(text)
        run = subprocess.run([binary, "heads", "--model", model_dir, "--json", "--token", "[CLS]", "--", text],
                             capture_output=True, text=True)
        got = json.loads(run.stdout) if run.returncode == 0 else {"ids": None, "tokens": run.stderr}
        if got["ids"] != expected.ids:
            mismatches += 1
            print(f"{text!r}\n  tokenizers: {expected.tokens}\n  mhalearn:   {got['tokens']}")
    print(f"{count} strings, {mismatches} mismatches")
    return mismatches


def main(argv):
    if len(argv) in (4, 5) and argv[0] == "fuzz":
        sys.exit(1 if fuzz(argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) == 5 else 0) else 0)
    if len(argv) >= 3 and argv[0] == "forward":
        result = forward(argv[1], [int(i) for i in argv[2:]])
    elif len(argv) == 3 and argv[0] == "tokens":
        result = tokens(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if argv[0] == "forward" else 1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
