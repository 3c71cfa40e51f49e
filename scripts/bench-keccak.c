/* Times pycryptodome's Keccak (its own C, in its shared object) in a plain C loop, so that the
 * benchmark compares Swift with C and not with C plus an interpreter. scripts/bench-keccak.py
 * compiles this and hands it the library's functions. The work is the Merkle tree's: hash 64
 * bytes (two 32-byte children) to 32, `count` times, each digest feeding the next input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

typedef int (*KeccakInit)(void **state, size_t capacity_bytes, uint8_t rounds);
typedef int (*KeccakReset)(void *state);
typedef int (*KeccakAbsorb)(void *state, const uint8_t *in, size_t len);
typedef int (*KeccakDigest)(void *state, uint8_t *digest, size_t len, uint8_t padding);
typedef int (*KeccakDestroy)(void *state);

/* Returns the seconds taken; `io` holds the first 64-byte input and receives the last digest. */
double bench_keccak_chain(void *init, void *reset, void *absorb, void *digest, void *destroy, long count, uint8_t *io) {
    void *state = 0;
    uint8_t block[64];
    uint8_t out[32];
    struct timespec start, end;
    memcpy(block, io, 64);
    ((KeccakInit)init)(&state, 64, 24);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long n = 0; n < count; n++) {
        ((KeccakReset)reset)(state);
        ((KeccakAbsorb)absorb)(state, block, 64);
        ((KeccakDigest)digest)(state, out, 32, 0x01);
        memcpy(block + 32 * (n & 1), out, 32);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    ((KeccakDestroy)destroy)(state);
    memcpy(io, out, 32);
    return (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
}
