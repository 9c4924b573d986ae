/// What a station's neighbourhood is used for, which decides when its bikes leave and return.
public enum StationRole: Int, Sendable, CaseIterable {
    /// Homes: bikes leave in the morning commute, stay out through the day, come back at night.
    case residential
    /// Offices and universities: riders leave at lunch and in the evening commute.
    case business
    /// City centres with both: peaks in both commutes.
    case mixed
    /// Coast and tourism: afternoon and weekend rides.
    case leisure

    /// The role of a station of the standard catalogue, by city; other cities count as mixed.
    public static func forCity(_ city: String) -> StationRole {
        switch city {
        case "Boston", "Cambridge", "Waltham": return .business
        case "Worcester", "Springfield", "Lowell", "Framingham", "Fall River", "New Bedford", "Pittsfield",
            "Brockton", "Lynn":
            return .mixed
        case "Barnstable", "Salem", "Revere": return .leisure
        case "Somerville", "Quincy", "Newton", "Haverhill", "Malden", "Medford", "Taunton", "Chicopee",
            "Everett", "Peabody", "Arlington", "Attleboro", "Methuen", "Leominster", "Westfield":
            return .residential
        default: return .mixed
        }
    }

    /// Share of a station's bikes out on rides at the busiest moment of its day.
    var peakUtilisation: Double {
        switch self {
        case .residential: return 0.85
        case .business: return 0.75
        case .mixed: return 0.7
        case .leisure: return 0.7
        }
    }
}
