import ArgumentParser

/// Where the read API listens (`serve`, and `--api-port` on the dashboard, `--no-ui` and `stream`).
struct APIOptions: ParsableArguments {
    @Option(
        name: .customLong("api-port"),
        help: "Serve the read API and /metrics on this port (env API_PORT; serve's default 8080; 0 picks a free one).")
    var apiPort: String?

    @Option(name: .customLong("api-host"), help: "Address the read API binds (env API_HOST; default 127.0.0.1).")
    var apiHost: String?

    /// The port and host from the flags, the environment and `./.env`; nil when no port is set and
    /// `defaultPort` is nil.
    func resolve(defaultPort: Int?, environment: [String: String]) throws -> (host: String, port: Int)? {
        let source = try DotEnv.load(path: ".env").merging(environment) { $1 }
        let portText = apiPort ?? source["API_PORT"].flatMap { $0.isEmpty ? nil : $0 }
        let origin = apiPort != nil ? "--api-port" : "API_PORT"
        guard
            let port = try portText.map({ try PulseConfiguration.parseInt($0, origin: origin, range: 0...65535) })
                ?? defaultPort
        else { return nil }
        let host = apiHost ?? source["API_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else {
            throw ConfigError(.invalidValue, "--api-host: '\(host)' is not a host name or address")
        }
        return (host, port)
    }
}
