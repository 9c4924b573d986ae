#ifndef PULSE_CZSTD_SHIM_H
#define PULSE_CZSTD_SHIM_H
#include <zstd.h>
#endif
