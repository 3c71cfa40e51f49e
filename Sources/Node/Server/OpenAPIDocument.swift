import Foundation

/// The OpenAPI document served at `/openapi.yaml`, from the module's resources.
enum OpenAPIDocument {
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "openapi: 3.1.0\ninfo: {title: depin node, version: unknown}\npaths: {}\n" }
        return text
    }()
}
