// zlib from the system (Debian's zlib1g-dev): inflate for PNG frames, crc32 for PNG chunks.
#include <zlib.h>
