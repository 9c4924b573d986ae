import ArgumentParser
import Foundation
import Logging
import PulseAPI
import PulseCore

/// `pulse-tui serve`: the read API over a lakehouse (local or S3), the original stack's FastAPI service
/// rebuilt: its endpoints with the same names, parameters and fields, plus the other tables, /tables,
/// /stations, /openapi.json and Prometheus /metrics. Runs until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", _superCommandName: "pulse-tui",
        abstract: "Serve the lakehouse over HTTP: the original's read API, /metrics and /openapi.json.",
        version: PulseVersion.description)

    @OptionGroup(title: "Read API") var api: APIOptions
    @OptionGroup(title: "Lakehouse") var lakehouse: LakehouseOptions

    func run() throws {
        let config = try loadConfiguration(lakehouse)
        guard let address = try api.resolve(defaultPort: 8080, environment: ProcessInfo.processInfo.environment) else {
            return
        }
        let store: any ObjectStore
        do {
            store = try LakehouseStore.open(config, create: false)
        } catch let error as StorageError where error.code == .notFound {
            throw InspectFailure(message: "no lakehouse at \(config.lakehouse) (no such directory)")
        }
        MetricsExporter.bootstrapPrometheus()
        let server = ReadAPI(store: store, live: nil, logger: Logger(label: "pulse.api"))
        let port = try server.start(host: address.host, port: address.port)
        print("serving \(store.description) at http://\(address.host):\(port) (GET /openapi.json lists the endpoints)")
        let stop = StopSignal.install()
        while !stop.wait(seconds: 3600) {}
        server.stop()
    }
}
