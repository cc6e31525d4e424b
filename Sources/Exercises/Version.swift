public enum ExercisesVersion { public static let value = "0.1.0" }
