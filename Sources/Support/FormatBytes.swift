/// Formats a byte count with a binary unit, e.g. `1.5 GiB`.
public func formatBytes(_ bytes: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    if unit == 0 { return "\(bytes) bytes" }
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
}
