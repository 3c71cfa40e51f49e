import Geo

/// Real streets as polylines, for demos and tests: hand-written from public maps, accurate to a
/// few metres. scripts/drive-fixture.py has the same ones for gpsfake.
public enum SampleStreets {
    /// Market Street, San Francisco: the Ferry Building to Van Ness Avenue (about 3 km).
    public static let marketStreet: [(lat: Double, lng: Double)] = [
        (37.79456, -122.39467), (37.79110, -122.39900), (37.78907, -122.40166), (37.78700, -122.40440),
        (37.78489, -122.40734), (37.78230, -122.41060), (37.77980, -122.41370), (37.77786, -122.41584),
        (37.77516, -122.41940),
    ]
    /// Valencia Street, San Francisco: Market Street to 24th Street (about 2 km).
    public static let valenciaStreet: [(lat: Double, lng: Double)] = [
        (37.77180, -122.42300), (37.76900, -122.42220), (37.76500, -122.42190), (37.76100, -122.42150),
        (37.75700, -122.42110), (37.75230, -122.42070),
    ]

    /// The street's length, metres.
    public static func length(_ street: [(lat: Double, lng: Double)]) -> Double {
        zip(street, street.dropFirst()).reduce(0) { $0 + GreatCircle.metres(lat1: $1.0.lat, lng1: $1.0.lng, lat2: $1.1.lat, lng2: $1.1.lng) }
    }

    /// The point `metres` along the street from its first point (clamped to its ends).
    public static func point(_ street: [(lat: Double, lng: Double)], at metres: Double) -> (lat: Double, lng: Double) {
        var left = max(metres, 0)
        for (a, b) in zip(street, street.dropFirst()) {
            let leg = GreatCircle.metres(lat1: a.lat, lng1: a.lng, lat2: b.lat, lng2: b.lng)
            if left <= leg {
                let t = leg > 0 ? left / leg : 0
                return (a.lat + (b.lat - a.lat) * t, a.lng + (b.lng - a.lng) * t)
            }
            left -= leg
        }
        return street.last!
    }
}
