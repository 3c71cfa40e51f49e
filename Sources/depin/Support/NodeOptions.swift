import Agent
import ArgumentParser
import Core
import Foundation

/// `--node URL`, shared by every command that talks to a node.
struct NodeOptions: ParsableArguments {
    @Option(name: .long, help: "The node's base URL.")
    var node = ProcessInfo.processInfo.environment["DEPIN_NODE"] ?? "http://127.0.0.1:8080"

    var client: NodeClient {
        get throws {
            guard let url = URL(string: node), url.scheme == "http" || url.scheme == "https" else {
                throw CLIError("--node must be an http(s) URL, got \(node)")
            }
            return NodeClient(baseURL: url)
        }
    }
}

extension NodeClient {
    /// GETs `path` and decodes its JSON, turning an error body into a one-line message.
    func json(_ path: String) async throws -> [String: Any] {
        let reply = try await getting(path)
        guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any] else {
            throw CLIError("the node answered \(path) with something that is not a JSON object")
        }
        return object
    }

    func getting(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        let reply: Reply
        do { reply = try await get(path, headers: headers) } catch {
            throw CLIError("cannot reach the node at \(baseURL): \(error.localizedDescription)")
        }
        guard (200..<300).contains(reply.status) else {
            throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "request failed")")
        }
        return reply
    }

    /// The nonce the next transaction signed by `address` must carry.
    func nextNonce(for address: Address) async throws -> UInt64 {
        let reply: Reply
        do { reply = try await get("/v1/accounts/\(address)") } catch {
            throw CLIError("cannot reach the node at \(baseURL): \(error.localizedDescription)")
        }
        if reply.status == 404 { return 1 }
        guard reply.status == 200, let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let nonce = (object["nonce"] as? NSNumber)?.uint64Value
        else {
            throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "cannot read the account")")
        }
        return nonce + 1
    }

    /// Builds a transaction with the signer's next nonce and the current time, signs it (and has
    /// `cosigners` cosign it), sends it, and returns the journal entry's JSON.
    func signAndSubmit(
        by signer: SigningKey, cosigners: [SigningKey] = [], _ build: (inout Transaction) -> Void
    ) async throws -> [String: Any] {
        var transaction = Transaction()
        transaction.nonce = try await nextNonce(for: signer.address)
        transaction.timestampMs = nowMs()
        build(&transaction)
        transaction.sign(with: signer)
        for cosigner in cosigners { transaction.cosign(with: cosigner) }
        return try await submit(transaction)
    }

    /// Sends a signed transaction and returns the journal entry's JSON.
    func submit(_ transaction: Transaction) async throws -> [String: Any] {
        let reply: Reply
        do { reply = try await post("/v1/transactions", body: transaction.canonicalBytes) } catch {
            throw CLIError("cannot reach the node at \(baseURL): \(error.localizedDescription)")
        }
        guard reply.status == 200, let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
        else {
            throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "refused")")
        }
        return object
    }
}

/// Milliseconds since the Unix epoch, now.
func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

/// Reads an address argument or fails with the parser's reason.
func parseAddress(_ text: String, _ what: String) throws -> Address {
    do { return try Address(parsing: text) } catch {
        throw CLIError("\(what): \(error.message)")
    }
}
