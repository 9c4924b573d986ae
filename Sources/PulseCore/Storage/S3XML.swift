/// The few S3 XML answers we read (ListObjectsV2, errors, CreateMultipartUpload), by tag scanning:
/// their shapes are fixed and flat, and a general XML parser would be a dependency for three tags.
enum S3XML {
    /// One page of a ListObjectsV2 answer.
    struct ListPage {
        var objects: [(key: String, size: Int64, lastModified: Int64)] = []
        var isTruncated = false
        var nextContinuationToken: String?
    }

    static func listPage(_ body: [UInt8]) -> ListPage {
        let text = String(decoding: body, as: UTF8.self)
        var page = ListPage()
        for entry in elements("Contents", in: text) {
            guard let key = value("Key", in: entry) else { continue }
            let size = value("Size", in: entry).flatMap { Int64($0) } ?? 0
            let modified = value("LastModified", in: entry).flatMap(parseTimestampMillis) ?? 0
            page.objects.append((key, size, modified))
        }
        page.isTruncated = value("IsTruncated", in: text) == "true"
        page.nextContinuationToken = value("NextContinuationToken", in: text)
        return page
    }

    /// `<Error><Code>…</Code><Message>…</Message></Error>` as "Code: Message", or nil when the body is no S3 error.
    static func errorSummary(_ body: [UInt8]) -> (code: String, message: String)? {
        let text = String(decoding: body, as: UTF8.self)
        guard let code = value("Code", in: text) else { return nil }
        return (code, value("Message", in: text) ?? "")
    }

    /// The text of the first `<tag>` in `text`, entities decoded.
    static func value<S: StringProtocol>(_ tag: String, in text: S) -> String? where S.SubSequence == Substring {
        elements(tag, in: text).first.map(decodeEntities)
    }

    /// The inner text of every `<tag>…</tag>` in `text`, in order (not nested in themselves).
    static func elements<S: StringProtocol>(_ tag: String, in text: S) -> [Substring] where S.SubSequence == Substring {
        var found: [Substring] = []
        let open = "<\(tag)>"
        let close = "</\(tag)>"
        var rest = text[...]
        while let start = rest.firstRange(of: open) {
            guard let end = rest[start.upperBound...].firstRange(of: close) else { break }
            found.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// XML's five named entities and numeric character references.
    static func decodeEntities<S: StringProtocol>(_ text: S) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].firstIndex(of: ";") else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let entity = text[text.index(after: index)..<semicolon]
            var replacement: String?
            switch entity {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16),
                    let scalar = Unicode.Scalar(code)
                {
                    replacement = String(Character(scalar))
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()),
                    let scalar = Unicode.Scalar(code)
                {
                    replacement = String(Character(scalar))
                }
            }
            if let replacement {
                result += replacement
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// "2024-05-01T12:00:00.000Z" (S3's LastModified) as milliseconds since the epoch.
    static func parseTimestampMillis(_ text: String) -> Int64? {
        EventTimeParser.parse(text).map { $0 / 1000 }
    }
}
