import Foundation

/// Blender run headless: renders one frame of a scene to PNG with Cycles, and builds the
/// network's generated scenes (the benchmark's reference scene and test scenes) with a Python
/// script run inside Blender, so no binary scene is shipped.
public struct BlenderRenderer: Sendable {
    /// The Blender executable.
    public var executable: String
    /// Where Blender's output goes for a look when a render fails.
    public var logPath: String
    /// Cycles renders on the GPUs of this backend (CUDA, OPTIX, HIP, ONEAPI or METAL) when set,
    /// on the CPU when nil.
    public var gpu: String?

    /// The GPU backends Cycles knows.
    public static let gpuBackends = ["CUDA", "OPTIX", "HIP", "ONEAPI", "METAL"]

    /// A renderer running `executable`.
    public init(executable: String = "blender", logPath: String = "/dev/null", gpu: String? = nil) {
        self.executable = executable
        self.logPath = logPath
        self.gpu = gpu
    }

    /// What the node reports as its renderer, e.g. "Blender 3.4.1 Cycles CPU".
    public func description() -> String {
        "\((try? version()) ?? "Blender") Cycles \(gpu.map { "GPU (\($0))" } ?? "CPU")"
    }

    /// Renders `frame` of the scene at `scene` into `directory`, with `samples` samples per pixel
    /// (0 keeps the scene's) and Cycles seed `seed` (nil keeps the scene's), and returns the PNG's
    /// bytes and the milliseconds Blender took. With a GPU backend set, a machine without such a
    /// device fails the render rather than fall back to the CPU.
    public func render(
        scene: String, frame: Int, samples: Int, seed: Int? = nil, into directory: String
    ) throws -> (png: Data, ms: Int64) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stem = directory + "/frame_"
        let output = stem + String(format: "%04d", frame) + ".png"
        try? FileManager.default.removeItem(atPath: output)
        var arguments = ["-b", scene, "-o", stem + "####", "-F", "PNG"]
        var settings: [String] = []
        if samples > 0 { settings.append("bpy.context.scene.cycles.samples = \(samples)") }
        if let seed { settings.append("bpy.context.scene.cycles.seed = \(seed)") }
        if let gpu {
            settings += [
                "prefs = bpy.context.preferences.addons['cycles'].preferences",
                "prefs.compute_device_type = '\(gpu)'",
                "prefs.get_devices()",
                "found = [d for d in prefs.devices if d.type == '\(gpu)']",
                "assert found, 'no \(gpu) device on this machine'",
                "for d in prefs.devices: d.use = d.type == '\(gpu)'",
                "bpy.context.scene.cycles.device = 'GPU'",
            ]
        }
        if !settings.isEmpty {
            arguments += ["--python-exit-code", "3", "--python-expr", (["import bpy"] + settings).joined(separator: "\n")]
        }
        arguments += ["-f", String(frame)]
        let began = ContinuousClock.now
        try run(arguments)
        let elapsed = ContinuousClock.now - began
        guard let png = FileManager.default.contents(atPath: output) else {
            throw RenderError("Blender wrote no frame \(frame) of \(scene) (its output is in \(logPath))")
        }
        return (png, elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Builds a scene of `frames` frames (a ball rolling past a box under a sun, Cycles on CPU,
    /// denoising off since Debian's Blender has no OpenImageDenoiser) at `width` pixels wide and
    /// 3/4 as high, and saves it at `path`.
    public func makeScene(at path: String, frames: Int, samples: Int, width: Int) throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("depin-scene-\(UUID().uuidString).py").path
        try Self.sceneScript.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        try run(["-b", "--factory-startup", "--python", script, "--", path, String(frames), String(samples), String(width)])
        guard FileManager.default.fileExists(atPath: path) else { throw RenderError("Blender did not save the scene \(path)") }
    }

    /// Blender's version line, e.g. "Blender 3.4.1".
    public func version() throws -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = try resolved()
        process.arguments = ["--version"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "Blender"
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try resolved()
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
        _ = try? log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus == 3, let gpu {
            throw RenderError(
                "Blender could not render on a \(gpu) GPU: this machine has none it can use (its output is in \(logPath)); leave out --gpu to render on the CPU")
        }
        guard process.terminationStatus == 0 else {
            throw RenderError("Blender exited with status \(process.terminationStatus) (its output is in \(logPath))")
        }
    }

    private func resolved() throws -> URL {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw RenderError("\(executable) is not on PATH; install Blender (Debian: apt-get install blender)")
    }

    /// The scene builder, run inside Blender: `-- PATH FRAMES SAMPLES WIDTH`.
    static let sceneScript = """
        import bpy, sys
        path, frames, samples, width = sys.argv[sys.argv.index("--") + 1:][:4]
        frames, samples, width = int(frames), int(samples), int(width)
        bpy.ops.wm.read_factory_settings(use_empty=True)
        scene = bpy.context.scene
        scene.render.engine = "CYCLES"
        scene.cycles.device = "CPU"
        scene.cycles.samples = samples
        scene.cycles.use_denoising = False
        scene.cycles.seed = 0
        scene.render.resolution_x = width
        scene.render.resolution_y = width * 3 // 4
        scene.render.resolution_percentage = 100
        scene.frame_start = 1
        scene.frame_end = frames
        world = bpy.data.worlds.new("world")
        scene.world = world
        world.use_nodes = True
        world.node_tree.nodes["Background"].inputs[0].default_value = (0.05, 0.06, 0.08, 1)
        def material(name, colour):
            made = bpy.data.materials.new(name)
            made.use_nodes = True
            made.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = colour
            return made
        bpy.ops.mesh.primitive_plane_add(size=20)
        bpy.context.object.data.materials.append(material("floor", (0.6, 0.6, 0.6, 1)))
        bpy.ops.mesh.primitive_uv_sphere_add(radius=1, location=(-3, 0, 1))
        ball = bpy.context.object
        ball.data.materials.append(material("ball", (0.8, 0.2, 0.1, 1)))
        ball.keyframe_insert("location", frame=1)
        ball.location = (3, 0, 1)
        ball.keyframe_insert("location", frame=max(frames, 2))
        bpy.ops.mesh.primitive_cube_add(size=1.2, location=(0, 2, 0.6))
        bpy.context.object.data.materials.append(material("box", (0.1, 0.3, 0.8, 1)))
        bpy.ops.object.light_add(type="SUN", location=(4, -4, 8))
        bpy.context.object.data.energy = 4
        bpy.ops.object.camera_add(location=(0, -9, 4), rotation=(1.2, 0, 0))
        scene.camera = bpy.context.object
        bpy.ops.wm.save_as_mainfile(filepath=path)
        """
}

/// A render that could not be made.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
