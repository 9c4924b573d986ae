import PulseCore

// libFuzzer target: a Delta log file. Bytes starting with "PAR1" are a classic checkpoint
// (`Checkpoint.decode`: Parquet footer, nested columns, map and list levels); anything else is a commit
// file (`DeltaAction.decodeCommit`: newline-delimited `JSONParser` documents decoded into actions) and is
// also parsed whole as one JSON document. The actions decoded are replayed onto an empty `Snapshot`.
//
// Invariants:
// - a JSON document that parses writes (`JSONWriter`) to text that parses back to the same value;
// - decoded commit actions encode (`encodeCommit`) to a commit that decodes to the same actions;
// - a snapshot writes a checkpoint (`Checkpoint.encode`) that decodes and replays to the same snapshot
//   as its `checkpointActions()` do (tombstones past the retention are left out of both).

let parquetMagic: [UInt8] = Array("PAR1".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeltaLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let actions: [DeltaAction]
    if bytes.starts(with: parquetMagic) {
        guard let decoded = try? Checkpoint.decode(bytes) else { return 0 }
        actions = decoded
    } else {
        if let document = try? JSONParser.parse(bytes) { checkWriteAndRead(document) }
        guard let decoded = try? DeltaAction.decodeCommit(bytes) else { return 0 }
        let encoded = DeltaAction.encodeCommit(decoded)
        do {
            require(
                try DeltaAction.decodeCommit(encoded) == decoded, "encodeCommit does not decode to the same actions")
        } catch {
            fatalError("invariant broken: encodeCommit wrote a commit that does not decode: \(error)")
        }
        actions = decoded
    }
    guard let snapshot = try? Snapshot().applying(actions, version: 0) else { return 0 }
    _ = (snapshot.fileCount, snapshot.transactions, snapshot.partitionColumns, snapshot.rowCount)
    checkCheckpoint(of: snapshot)
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

func checkWriteAndRead(_ document: JSONValue) {
    let text = JSONWriter.encode(document)
    do {
        require(try JSONParser.parse(text) == document, "JSONWriter's text reads back as another value: \(text)")
    } catch {
        fatalError("invariant broken: JSONWriter wrote text JSONParser rejects (\(error)): \(text)")
    }
}

func checkCheckpoint(of snapshot: Snapshot) {
    // Without a metadata action the snapshot's empty schema string does not replay: nothing to compare.
    guard let expected = try? Snapshot().applying(snapshot.checkpointActions(), version: snapshot.version) else {
        return
    }
    guard let encoded = try? Checkpoint.encode(snapshot) else { return }
    let decoded: [DeltaAction]
    do {
        decoded = try Checkpoint.decode(encoded.bytes)
    } catch {
        fatalError("invariant broken: a checkpoint we wrote does not decode: \(error)")
    }
    require(
        decoded.count == encoded.actionCount,
        "checkpoint holds \(encoded.actionCount) actions, decodes \(decoded.count)")
    guard let restored = try? Snapshot().applying(decoded, version: snapshot.version) else {
        fatalError("invariant broken: a checkpoint we wrote does not replay")
    }
    require(restored == expected, "checkpoint replays to another snapshot")
}
