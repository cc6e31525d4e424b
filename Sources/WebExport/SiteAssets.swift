import Foundation

/// The style sheet and the page script, shipped as resources beside the compiled grader.
enum SiteAssets {
    static func resource(_ name: String, _ ext: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext),
              let data = try? Data(contentsOf: url) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
