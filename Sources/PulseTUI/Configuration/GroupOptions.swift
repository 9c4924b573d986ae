import ArgumentParser
import PulseCore

/// `stream --group`: run this engine as one member of a Kafka consumer group, sharing each topic's
/// partitions (and the same lakehouse) with the group's other members.
struct GroupOptions: ParsableArguments {
    @Option(
        name: .customLong("group"),
        help:
            "Share the topics' partitions with every engine started with this group id on the same lakehouse (env KAFKA_GROUP_ID; default: read every partition alone)."
    )
    var group: String?

    @Option(
        name: .customLong("session-timeout"),
        help:
            "Seconds the group waits for a silent member before its partitions move (env KAFKA_SESSION_TIMEOUT_SEC; default 10; 6 to 300)."
    )
    var sessionTimeout: String?

    /// The group from the flags, the environment and `./.env`; nil when no group is set.
    func resolve(environment: [String: String]) throws -> ConsumerGroup? {
        let source = try DotEnv.load(path: ".env").merging(environment) { $1 }
        guard let name = group ?? source["KAFKA_GROUP_ID"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            if sessionTimeout != nil { throw ConfigError(.invalidValue, "--session-timeout: needs --group") }
            return nil
        }
        let origin = group != nil ? "--group" : "KAFKA_GROUP_ID"
        // Kafka's own rule for group ids is "any string"; these are the characters every tool quotes safely.
        guard name.count <= 249,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else {
            throw ConfigError(
                .invalidValue, "\(origin): '\(name)' is not a group id of up to 249 letters, digits, '.', '_' or '-'")
        }
        var seconds = 10.0
        if let text = sessionTimeout ?? source["KAFKA_SESSION_TIMEOUT_SEC"].flatMap({ $0.isEmpty ? nil : $0 }) {
            seconds = try PulseConfiguration.parseNumber(
                text, origin: sessionTimeout != nil ? "--session-timeout" : "KAFKA_SESSION_TIMEOUT_SEC",
                in: 6...300)
        }
        return ConsumerGroup(name: name, sessionTimeoutMs: Int(seconds * 1000))
    }
}
