import Foundation

/// Rotary position embedding, as used by MLA's decoupled rotary part.
///
/// For position `p` and pair `(2m, 2m+1)` of a `d_r`-wide head, with `θ_m = 10000^(−2m/d_r)`:
/// `x'₂ₘ = x₂ₘ·cos(pθ_m) − x₂ₘ₊₁·sin(pθ_m)`, `x'₂ₘ₊₁ = x₂ₘ·sin(pθ_m) + x₂ₘ₊₁·cos(pθ_m)`
/// (interleaved pairs). Angles are computed in Double and rounded to Float once.
enum RoPE {
    /// The frequency base.
    static let base = 10000.0

    /// Rotates `rows × (heads · width)` values in place; row `t` is at position `firstPosition + t`.
    static func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, heads: Int, width: Int, firstPosition: Int) {
        let pairs = width / 2
        for t in 0..<rows {
            let position = Double(firstPosition + t)
            for m in 0..<pairs {
                let theta = position * pow(base, -2 * Double(m) / Double(width))
                let c = Float(cos(theta)), s = Float(sin(theta))
                for head in 0..<heads {
                    let p = data + t * heads * width + head * width + 2 * m
                    let a = p[0], b = p[1]
                    p[0] = a * c - b * s
                    p[1] = a * s + b * c
                }
            }
        }
    }
}

/// The core's rotary position embedding applied to one vector, for lessons and tests that show
/// what it does (the same code MLA's decoupled rotary part runs).
public enum RotaryEmbedding {
    /// `values` (even width) rotated to `position`: pair `m` turned by `position · 10000^(−2m/width)`.
    public static func rotated(_ values: [Float], position: Int) -> [Float] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= 2 else { return }
            RoPE.apply(base, rows: 1, heads: 1, width: buffer.count - buffer.count % 2, firstPosition: position)
        }
        return copy
    }
}
