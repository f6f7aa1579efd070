#include <stddef.h>
#include <stdint.h>

/* Fletcher-16 checksum over a byte buffer. */
uint16_t fletcher16(const uint8_t *data, size_t length) {
    uint16_t low = 0, high = 0;
    for (size_t i = 0; i < length; i++) {
        low = (low + data[i]) % 255;
        high = (high + low) % 255;
    }
    return (uint16_t)((high << 8) | low);
}

struct window {
    size_t start;
    size_t end;
};

int window_contains(const struct window *w, size_t pos) {
    return w != NULL && pos >= w->start && pos < w->end;
}
