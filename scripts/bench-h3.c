/* Times the reference H3 C library's latLngToCell in a plain C loop, so that the benchmark
 * compares Swift with C and not with C plus an interpreter. scripts/bench-h3.py compiles this,
 * hands it the function from the `h3` package's own shared object, and reports the result. */
#include <stdint.h>
#include <time.h>

typedef struct {
    double lat;
    double lng;
} Point;

typedef uint32_t (*LatLngToCell)(const Point *point, int resolution, uint64_t *cell);

/* Converts `count` points (radians, lat and lng interleaved) at `resolution`; returns the
 * seconds taken and stores the XOR of all cells in `checksum` and the number of errors in `errors`. */
double bench_latlng_to_cell(void *function, const double *coordinates, long count, int resolution,
                            uint64_t *checksum, long *errors) {
    LatLngToCell convert = (LatLngToCell)function;
    struct timespec start, end;
    uint64_t folded = 0;
    long failed = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long n = 0; n < count; n++) {
        Point point = {coordinates[2 * n], coordinates[2 * n + 1]};
        uint64_t cell = 0;
        if (convert(&point, resolution, &cell) != 0) failed++;
        folded ^= cell;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    *checksum = folded;
    *errors = failed;
    return (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
}
