/*
 * The ISA-L reference for `depin bench erasure`: Reed-Solomon encode and decode throughput of
 * Intel's ISA-L (Debian's libisal) on one core, for the same code and piece size.
 *
 *   cc -O2 -o isal-erasure isal-erasure.c -lisal
 *   ./isal-erasure K N PIECE_BYTES ROUNDS
 *
 * Prints one JSON line: {"encode_mb_s": …, "decode_mb_s": …}, megabytes of data (k pieces) per
 * second. Decoding rebuilds the first min(n - k, k) data pieces from the pieces left, the worst
 * case; the rebuilt pieces are checked against the originals.
 */
#include <isa-l/erasure_code.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s K N PIECE_BYTES ROUNDS\n", argv[0]);
        return 2;
    }
    int k = atoi(argv[1]), n = atoi(argv[2]), rounds = atoi(argv[4]);
    size_t length = (size_t)atol(argv[3]);
    int m = n - k;
    if (k < 1 || m < 1 || n > 255 || length == 0 || rounds < 1) {
        fprintf(stderr, "need 1 <= k < n <= 255, PIECE_BYTES > 0, ROUNDS > 0\n");
        return 2;
    }
    unsigned char **pieces = malloc(sizeof(unsigned char *) * n);
    for (int i = 0; i < n; i++) pieces[i] = aligned_alloc(64, (length + 63) / 64 * 64);
    uint64_t state = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < k; i++)
        for (size_t j = 0; j < length; j++) {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            pieces[i][j] = (unsigned char)state;
        }

    unsigned char *matrix = malloc((size_t)n * k), *tables = malloc((size_t)32 * k * m);
    gf_gen_cauchy1_matrix(matrix, n, k);
    ec_init_tables(k, m, &matrix[k * k], tables);
    ec_encode_data((int)length, k, m, tables, pieces, &pieces[k]); /* warm-up */
    double began = seconds();
    for (int r = 0; r < rounds; r++) ec_encode_data((int)length, k, m, tables, pieces, &pieces[k]);
    double encode = seconds() - began;

    /* Lose the first `lost` data pieces; rebuild them from the next k pieces. */
    int lost = m < k ? m : k;
    unsigned char *chosen = malloc((size_t)k * k), *inverse = malloc((size_t)k * k), *rows = malloc((size_t)k * lost);
    unsigned char **sources = malloc(sizeof(unsigned char *) * k), **rebuilt = malloc(sizeof(unsigned char *) * lost);
    for (int i = 0; i < k; i++) {
        memcpy(&chosen[i * k], &matrix[(lost + i) * k], k);
        sources[i] = pieces[lost + i];
    }
    if (gf_invert_matrix(chosen, inverse, k) != 0) {
        fprintf(stderr, "singular matrix\n");
        return 1;
    }
    for (int i = 0; i < lost; i++) {
        memcpy(&rows[i * k], &inverse[i * k], k);
        rebuilt[i] = aligned_alloc(64, (length + 63) / 64 * 64);
    }
    unsigned char *decodeTables = malloc((size_t)32 * k * lost);
    ec_init_tables(k, lost, rows, decodeTables);
    ec_encode_data((int)length, k, lost, decodeTables, sources, rebuilt);
    began = seconds();
    for (int r = 0; r < rounds; r++) ec_encode_data((int)length, k, lost, decodeTables, sources, rebuilt);
    double decode = seconds() - began;
    for (int i = 0; i < lost; i++)
        if (memcmp(rebuilt[i], pieces[i], length) != 0) {
            fprintf(stderr, "piece %d rebuilt wrong\n", i);
            return 1;
        }
    double megabytes = (double)k * (double)length * rounds / 1e6;
    printf("{\"encode_mb_s\": %.1f, \"decode_mb_s\": %.1f}\n", megabytes / encode, megabytes / decode);
    return 0;
}
