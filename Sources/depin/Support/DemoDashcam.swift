import Core
import Foundation
import Mapping

/// The demo's dashcam drive: Market Street, San Francisco, out and back at 12 m/s for as long as
/// the demo runs, a GPS fix a second. Like a dashcam that uploads over a phone every so often,
/// it hands over what it recorded every `uploadSeconds`, starting with a stretch recorded just
/// before the demo came up.
enum DemoDashcam {
    static let speed = 12.0

    static func fixes(uploadSeconds: Double = 10) -> AsyncThrowingStream<GpsFix, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GpsFix.self)
        let task = Task {
            let street = SampleStreets.marketStreet
            let length = SampleStreets.length(street)
            var clockMs = (Int64(Date().timeIntervalSince1970) - 60) * 1_000
            var travelled = 0.0
            while !Task.isCancelled {
                let nowMs = Int64(Date().timeIntervalSince1970 * 1_000)
                while clockMs <= nowMs {
                    // Out and back: the position bounces between the street's ends.
                    let lap = travelled.truncatingRemainder(dividingBy: 2 * length)
                    let position = SampleStreets.point(street, at: lap <= length ? lap : 2 * length - lap)
                    var fix = GpsFix()
                    fix.timestampMs = clockMs
                    fix.lat = position.lat
                    fix.lng = position.lng
                    (fix.fixQuality, fix.fixMode, fix.satellites, fix.hdop, fix.speedMps) = (1, 3, 9, 0.9, speed)
                    continuation.yield(fix)
                    clockMs += 1_000
                    travelled += speed
                }
                try? await Task.sleep(for: .seconds(uploadSeconds))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
