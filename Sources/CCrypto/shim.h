#ifndef PULSE_CCRYPTO_SHIM_H
#define PULSE_CCRYPTO_SHIM_H
#include <openssl/evp.h>

/* SHA-256 of a buffer into out[32]; returns 1 on success. One call, so Swift needs no EVP context type. */
static inline int pulse_sha256(const void *data, size_t length, unsigned char *out) {
    unsigned int written = 0;
    return EVP_Digest(data, length, out, &written, EVP_sha256(), NULL);
}
#endif
