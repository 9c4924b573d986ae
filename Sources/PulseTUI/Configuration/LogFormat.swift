/// How a run writes its status lines and log records: text for people, or JSON lines (one object per line)
/// for machines (`--log-format json`).
enum LogFormat: String, Sendable {
    case text, json
}
