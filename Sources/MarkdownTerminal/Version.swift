public enum MarkdownTerminalVersion { public static let value = "0.1.0" }
