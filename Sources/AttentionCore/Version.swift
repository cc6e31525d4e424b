public enum AttentionCoreVersion { public static let value = "0.1.0" }
