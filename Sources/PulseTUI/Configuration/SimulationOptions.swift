import ArgumentParser

/// The producers' simulation: its clock, seed and rates (the dashboard, `--no-ui`, `produce`).
struct SimulationOptions: ConfigurationOptions {
    @Option(
        name: .customLong("speed"),
        help: "Run the simulated clock N times faster than real time (default 60: an hour a minute).")
    var speed: String?

    @Option(name: .customLong("seed"), help: "Seed of the simulation; the same seed gives the same events.")
    var seed: String?

    @Option(
        name: .customLong("start"),
        help:
            "Simulated start time, ISO-8601 UTC (default: after the lakehouse's latest event, else now). With --seed, makes event times reproducible."
    )
    var start: String?

    @Option(
        name: .customLong("bike-interval"),
        help: "Wall-clock seconds between bike events, each for a random station (default 0.02; env BIKE_INTERVAL_SEC)."
    )
    var bikeInterval: String?

    @Option(
        name: .customLong("weather-interval"),
        help: "Wall-clock seconds between weather events (default 0.1; env WEATHER_INTERVAL_SEC).")
    var weatherInterval: String?

    @Option(name: .customLong("bad-records"), help: "Share (0...1) of records made malformed on purpose (default 0).")
    var badRecords: String?

    func contribute(to input: inout ConfigurationInput) {
        input.groups.insert(.producers)
        input.speed = speed
        input.seed = seed
        input.start = start
        input.bikeInterval = bikeInterval
        input.weatherInterval = weatherInterval
        input.badRecords = badRecords
    }
}
