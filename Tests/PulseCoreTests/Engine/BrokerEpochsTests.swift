import Foundation
import Testing

@testable import PulseCore

@Suite struct BrokerEpochsTests {
    @Test func recordsEachClusterOnceWithItsPartitionCount() throws {
        let directory = TemporaryDirectory("epochs")
        defer { directory.remove() }
        let epochs = BrokerEpochs(store: try LocalStore(root: directory.path), topic: "bike")
        #expect(try epochs.epoch(for: "a", partitions: 3).current.number == 1)
        #expect(try epochs.epoch(for: "a", partitions: 3).current.number == 1)
        let second = try epochs.epoch(for: "b", partitions: 6)
        #expect(second.current == BrokerEpochs.Epoch(number: 2, clusterID: "b", partitions: 6))
        #expect(second.all.map(\.clusterID) == ["a", "b"])
        #expect(BrokerEpochs.suffix(2) == "@2")
    }

    @Test func readsTheFormatWithoutPartitions() throws {
        let directory = TemporaryDirectory("epochs")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        try store.put("_checkpoints/bike/epochs.json", Array(#"{"epochs":[{"clusterId":"a","epoch":1}]}"#.utf8))
        let loaded = try BrokerEpochs(store: store, topic: "bike").load()
        #expect(loaded == [BrokerEpochs.Epoch(number: 1, clusterID: "a", partitions: nil)])
    }

    @Test(arguments: ["{not json", #"{"epochs": 3}"#, #"{"epochs":[{"clusterId":"a","epoch":2}]}"#, "\u{FEFF}{}"])
    func aDamagedFileIsAnErrorNamingIt(_ text: String) throws {
        let directory = TemporaryDirectory("epochs")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        try store.put("_checkpoints/bike/epochs.json", Array(text.utf8))
        do {
            _ = try BrokerEpochs(store: store, topic: "bike").epoch(for: "a", partitions: 3)
            Issue.record("accepted \(text)")
        } catch let error as PipelineError {
            #expect(error.code == .corruptState)
            #expect(error.message.contains("_checkpoints/bike/epochs.json"))
        }
    }

    @Test func aMissingFileIsRebuiltFromTheLogsMarkersOrRefused() throws {
        let directory = TemporaryDirectory("epochs")
        defer { directory.remove() }
        let epochs = BrokerEpochs(store: try LocalStore(root: directory.path), topic: "bike")
        // The tables say cluster "b" was epoch 2: b stays epoch 2, and a new cluster becomes 3.
        let rebuilt = try epochs.epoch(for: "b", partitions: 3, logged: ["a": 1, "b": 2], tablesHaveOffsets: true)
        #expect(rebuilt.current.number == 2)
        #expect(try epochs.epoch(for: "c", partitions: 3).current.number == 3)
        // Offsets in the tables but no marker and no file: no guess.
        let empty = TemporaryDirectory("epochs")
        defer { empty.remove() }
        let unknown = BrokerEpochs(store: try LocalStore(root: empty.path), topic: "bike")
        #expect(throws: PipelineError.self) { try unknown.epoch(for: "a", partitions: 3, tablesHaveOffsets: true) }
        #expect(try unknown.epoch(for: "a", partitions: 3).current.number == 1)
    }
}
